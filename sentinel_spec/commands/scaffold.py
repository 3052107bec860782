"""``sentinel new``: copy the starter project (package data) into a new folder.

Starter files are stored as ``*.tmpl`` so that neither the packaging, ruff,
mypy nor jinja ever mistakes them for the compiler's own code; copying strips
the suffix, turns ``gitignore`` into ``.gitignore`` and fills in the app name.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

SUFFIX = ".tmpl"
RENAMES = {"gitignore": ".gitignore"}


class ScaffoldError(Exception):
    pass


def app_identifier(folder_name: str) -> str:
    """``my-app`` -> ``MyApp``: a valid spec identifier for the app declaration."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", folder_name) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "App"
    return name if name[0].isalpha() else f"App{name}"


def app_title(folder_name: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", folder_name) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or "App"


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            found.extend(_walk(child, rel + "/"))
        elif child.name.endswith(SUFFIX):
            found.append((rel, child))
    return found


def create_project(target: Path) -> list[Path]:
    """Write the starter into ``target`` (must not exist or be empty); return the files."""
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} already exists and is not empty; pick another name")
    name = app_identifier(target.resolve().name)
    title = app_title(target.resolve().name)
    written: list[Path] = []
    for rel, source in _walk(resources.files("sentinel_spec") / "starter"):
        parts = rel[: -len(SUFFIX)].split("/")
        parts[-1] = RENAMES.get(parts[-1], parts[-1])
        path = target.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        path.write_text(text.replace("__APP_NAME__", name).replace("__APP_TITLE__", title))
        written.append(path)
    return written

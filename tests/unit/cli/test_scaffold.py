"""``sentinel new``'s file copy: names, renames and refusal to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.commands.scaffold import ScaffoldError, app_identifier, create_project


def test_app_identifier_from_folder_names() -> None:
    assert app_identifier("my-app") == "MyApp"
    assert app_identifier("notes") == "Notes"
    assert app_identifier("2fa_demo") == "App2faDemo"


def test_creates_the_starter_with_the_app_name(tmp_path: Path) -> None:
    files = create_project(tmp_path / "my-notes")
    names = {p.relative_to(tmp_path / "my-notes").as_posix() for p in files}
    assert {"app.sq", ".gitignore", "README.md", "src/notes.py", "src/health.py"} <= names
    assert "src/client/templates/home.html" in names
    assert not any(n.endswith(".tmpl") for n in names)
    spec = (tmp_path / "my-notes" / "app.sq").read_text()
    assert "app MyNotes {" in spec and "__APP" not in spec
    assert ".sentinel/" in (tmp_path / "my-notes" / ".gitignore").read_text()


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    with pytest.raises(ScaffoldError, match="not empty"):
        create_project(tmp_path / "taken")

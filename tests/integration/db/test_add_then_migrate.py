"""The tutorial's order: ``sentinel add entity`` and then ``sentinel db migrate`` writes
the new table's revision. (``add`` rebuilds generated/, which ``migrate`` reads; before,
the revision came out empty: "No changes".)"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sentinel_spec.cli import main
from sentinel_spec.commands.scaffold import create_project

pytestmark = pytest.mark.postgres


def test_an_added_entity_gets_its_migration(tmp_path: Path, database_url: str) -> None:
    project = tmp_path / "tasks"
    create_project(project)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(
            main,
            [*args, "--project", str(project)],
            env={"DATABASE_URL": database_url},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        return result.output

    added = run("add", "entity", "Task", "--field", "title:String", "--field", "done Boolean")
    assert "built generated/" in added
    assert "class Task(Base)" in (project / "generated" / "models.py").read_text()
    migrated = run("db", "migrate", "--name", "add task")
    assert "Wrote migrations/" in migrated
    (revision,) = [p for p in (project / "migrations").glob("*.py") if "add_task" in p.name]
    assert 'op.create_table(\n        "Task"' in revision.read_text()

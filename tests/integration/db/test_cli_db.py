"""``sentinel db`` through click's CliRunner, against a fresh database per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from sentinel_spec.cli_db import db
from sentinel_spec.runtime.db.urls import libpq_url

pytestmark = pytest.mark.postgres

ModelsWriter = Callable[[Path, str], None]

SPEC = """app demo {
  title: "Demo",
  db: { seeds: [
    import { seed_people } from "@src/db/seeds",
    import { seed_more as extra } from "@src/db/seeds",
  ] },
}
"""

SEEDS = """from sqlalchemy import text


def seed_people(session):
    session.execute(text("INSERT INTO person VALUES (1, 'ann')"))


async def seed_more(session):
    await session.execute(text("INSERT INTO person VALUES (2, 'bob')"))
"""


@pytest.fixture
def app(project: Path) -> Path:
    (project / "app.sq").write_text(SPEC)
    (project / "src" / "db").mkdir(parents=True)
    (project / "src" / "db" / "seeds.py").write_text(SEEDS)
    # Regular packages: a namespace ``src`` would lose to any ``src/__init__.py`` on sys.path.
    (project / "src" / "__init__.py").write_text("")
    (project / "src" / "db" / "__init__.py").write_text("")
    return project


@pytest.fixture
def run(app: Path, database_url: str) -> Callable[..., Result]:
    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            db,
            [*args, "--project", str(app)],
            input=input,
            env={"DATABASE_URL": database_url},
            catch_exceptions=False,
        )

    return invoke


def _people(url: str) -> list[str]:
    with psycopg.connect(libpq_url(url)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]


def test_migrate_upgrade_status_seed_reset(
    run: Callable[..., Result],
    app: Path,
    database_url: str,
    models: dict[str, str],
    write_models: ModelsWriter,
) -> None:
    created = run("migrate", "--name", "people")
    assert created.exit_code == 0, created.output
    assert "Wrote migrations/" in created.output

    pending = run("status", "--check")
    assert pending.exit_code == 1 and "pending: 1" in pending.output

    assert run("upgrade").exit_code == 0
    clean = run("status", "--check")
    assert clean.exit_code == 0, clean.output
    assert "applied: 1" in clean.output and "in sync" in clean.output

    assert run("migrate", "--name", "again").output.startswith("No changes")

    write_models(app, models["v2"])
    differ = run("status")
    assert "add table case_item" in differ.output and "sentinel db migrate" in differ.output
    write_models(app, models["v1"])

    seeded = run("seed")
    assert seeded.exit_code == 0, seeded.output
    assert _people(database_url) == ["ann", "bob"]

    refused = run("reset", input="n\n")
    assert refused.exit_code == 1 and _people(database_url) == ["ann", "bob"]
    assert run("reset", "--yes").exit_code == 0
    assert _people(database_url) == []

    only_one = run("seed", "extra")
    assert only_one.output.strip().endswith("seeded: extra")
    assert _people(database_url) == ["bob"]

    assert run("downgrade", "base").exit_code == 0


def test_unknown_seed_lists_the_declared_ones(run: Callable[..., Result], tmp_path: Path) -> None:
    result = CliRunner().invoke(db, ["seed", "nope", "--project", str(tmp_path)])  # no app.sq
    assert result.exit_code == 2 and "app.sq" in result.output
    missing = run("seed", "nope")
    assert missing.exit_code == 2
    assert "seed_people, extra" in missing.output


def test_unreachable_database_is_a_clear_message(app: Path) -> None:
    result = CliRunner().invoke(
        db,
        ["upgrade", "--project", str(app)],
        env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nothing"},
    )
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output and "DATABASE_URL" in result.output


def test_migrate_before_build_says_to_build(run: Callable[..., Result], app: Path) -> None:
    (app / "generated" / "models.py").unlink()
    result = run("migrate", "--name", "x")
    assert result.exit_code == 1 and "sentinel build" in result.output


def test_shell_runs_psql_on_the_app_database(
    run: Callable[..., Result], database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    result = run("shell", "-tA", "-c", "SELECT current_database()")
    assert result.exit_code == 0, result.output
    assert capfd.readouterr().out.strip() == make_url(database_url).database


def test_a_failing_seed_names_itself_and_the_committed_ones(
    run: Callable[..., Result], app: Path, database_url: str
) -> None:
    assert run("migrate", "--name", "people").exit_code == 0
    assert run("upgrade").exit_code == 0
    seeds = app / "src" / "db" / "seeds.py"
    seeds.write_text(seeds.read_text().replace("VALUES (2, 'bob')", "VALUES (1, 'dup')"))
    result = run("seed")
    assert result.exit_code == 1
    assert "seeded: seed_people" in result.output
    assert "seed 'extra' failed" in result.output and "pk_person" in result.output
    assert "Already committed, and kept: seed_people." in result.output
    assert "left as it was" not in result.output
    assert _people(database_url) == ["ann"]


def test_upgrade_and_downgrade_say_where_the_database_is(run: Callable[..., Result]) -> None:
    at_base = run("downgrade")
    assert at_base.exit_code == 0 and "already at base" in at_base.output
    assert "-1" not in at_base.output
    run("migrate", "--name", "people")
    upgraded = run("upgrade")
    assert "Applied 1 migration(s):" in upgraded.output and "people" in upgraded.output
    assert "Nothing to apply" in run("upgrade").output
    downgraded = run("downgrade")
    assert downgraded.exit_code == 0 and "now at base" in downgraded.output

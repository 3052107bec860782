"""The job queue's tables through the app's own revisions: installed by ``migrate`` +
``upgrade``, upgraded from an older procrastinate, dropped by ``downgrade``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import psycopg
import pytest

from sentinel_spec import migrations
from sentinel_spec.runtime.db.urls import libpq_url
from sentinel_spec.runtime.jobs import schema

pytestmark = pytest.mark.postgres

CATALOG = """
SELECT 'table ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relname LIKE 'procrastinate%%' AND c.relkind = 'r' AND a.attnum > 0
   AND NOT a.attisdropped
UNION ALL
SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p
 WHERE p.proname LIKE 'procrastinate%%'
UNION ALL
SELECT 'index ' || indexname FROM pg_indexes WHERE indexname LIKE 'procrastinate%%'
UNION ALL
SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE 'procrastinate%%'
ORDER BY 1
"""


def catalog(url: str) -> list[str]:
    with psycopg.connect(libpq_url(url)) as conn:
        return [row[0] for row in conn.execute(CATALOG).fetchall()]


def marker(url: str) -> str | None:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(schema.STATE_QUERY).fetchone()
        return None if row is None else row[0]


def test_migrate_writes_a_revision_that_installs_and_drops_the_queue(
    project: Path, database_url: str
) -> None:
    assert migrations.pending_changes(project, database_url, job_queue=True)[-1].startswith(
        "install the job queue schema"
    )
    path = migrations.migrate(project, database_url, "init", job_queue=True)
    assert path is not None
    text = path.read_text()
    version = schema.show(schema.target_version())
    assert f"The job queue: procrastinate {version}." in text
    assert "CREATE TABLE procrastinate_jobs" in text and "\t" not in text
    assert marker(database_url) is None  # migrate applies nothing
    migrations.upgrade(project, database_url)
    assert marker(database_url) == f"procrastinate {version}"
    assert migrations.pending_changes(project, database_url, job_queue=True) == []
    assert migrations.migrate(project, database_url, "again", job_queue=True) is None
    migrations.downgrade(project, database_url, "base")
    assert marker(database_url) is None and catalog(database_url) == []


def _old_schema(url: str, version: schema.Version) -> None:
    """procrastinate's tables as an app at ``version`` had them: its migrations up to it."""
    folder = resources.files("procrastinate.sql") / "migrations"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for name in names:
            parts = tuple(int(p) for p in name.split("_")[0].split("."))
            if parts <= version:
                conn.execute((folder / name).read_text())
        conn.execute(schema.marker_sql(version))


def test_an_older_queue_schema_is_upgraded_to_the_installed_procrastinate(
    project: Path, database_url: str, pg_server_url: str
) -> None:
    # What a fresh install looks like, for comparison, in a scratch database.
    import uuid

    from tests.conftest import with_database

    scratch = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(libpq_url(pg_server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        fresh_url = with_database(pg_server_url, scratch)
        with psycopg.connect(libpq_url(fresh_url), autocommit=True) as conn:
            conn.execute(schema.install_sql())
        fresh = catalog(fresh_url)
    finally:
        with psycopg.connect(libpq_url(pg_server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

    migrations.migrate(project, database_url, "init")  # the models' revision first
    migrations.upgrade(project, database_url)
    _old_schema(database_url, (3, 0, 0))
    status = migrations.status(project, database_url, job_queue=True)
    assert status.diff_summary == [
        f"upgrade the job queue schema (procrastinate 3.0.0 -> "
        f"{schema.show(schema.target_version())})"
    ]
    path = migrations.migrate(project, database_url, "queue upgrade", job_queue=True)
    assert path is not None and "03.01.00_01_pre_add_heartbeat.sql" in path.read_text()
    migrations.upgrade(project, database_url)
    assert catalog(database_url) == fresh
    assert marker(database_url) == f"procrastinate {schema.show(schema.target_version())}"


def test_tables_installed_by_hand_are_refused_with_a_way_out(
    project: Path, database_url: str
) -> None:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        conn.execute(schema.install_sql())
        conn.execute("COMMENT ON TABLE procrastinate_jobs IS NULL")
    with pytest.raises(schema.SchemaUnknown, match="COMMENT ON TABLE procrastinate_jobs"):
        migrations.migrate(project, database_url, "x", job_queue=True)

"""Migrations of an app's database: alembic, driven from Python, no alembic.ini.

Alembic's environment (``env.py``, ``script.py.mako``) lives in this package; the
revisions live in the app, in ``<project>/migrations/``. Every upgrade runs in one
transaction, so a failing revision leaves the schema as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from sentinel_spec.migrations.models import ModelsNotFound, load_metadata
from sentinel_spec.runtime.db import normalize_url

__all__ = [
    "MigrationStatus",
    "ModelsNotFound",
    "RevisionInfo",
    "downgrade",
    "migrate",
    "pending_changes",
    "reset",
    "status",
    "upgrade",
]

PACKAGE_DIR = Path(__file__).resolve().parent
# Date first so ``ls migrations/`` is chronological.
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s"


@dataclass(frozen=True)
class RevisionInfo:
    revision: str
    message: str

    def __str__(self) -> str:
        return f"{self.revision} {self.message}".strip()


@dataclass(frozen=True)
class MigrationStatus:
    applied: list[RevisionInfo] = field(default_factory=list)  # oldest first
    pending: list[RevisionInfo] = field(default_factory=list)  # in the order they will run
    models_differ: bool = False  # the models need a new revision (``sentinel db migrate``)
    diff_summary: list[str] = field(default_factory=list)


def versions_dir(project_dir: Path) -> Path:
    return project_dir / "migrations"


def make_config(project_dir: Path, url: str, connection: Connection | None = None) -> Config:
    project_dir = project_dir.resolve()
    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(versions_dir(project_dir)))
    config.set_main_option("file_template", FILE_TEMPLATE)
    ruff = shutil.which("ruff")
    if ruff is not None:  # revisions are committed code: keep them formatted like the app
        hooks = {
            "hooks": "ruff_format",
            "ruff_format.type": "exec",
            "ruff_format.executable": ruff,
            "ruff_format.options": "format --quiet REVISION_SCRIPT_FILENAME",
        }
        for key, value in hooks.items():
            config.set_section_option("post_write_hooks", key, value)
    config.attributes["project_dir"] = project_dir
    config.attributes["url"] = normalize_url(url)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _engine(url: str) -> Engine:
    return create_engine(normalize_url(url), poolclass=NullPool)


@contextmanager
def _connection(url: str) -> Iterator[Connection]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def migrate(project_dir: Path, url: str, name: str) -> Path | None:
    """Apply pending revisions, then autogenerate one named ``name`` from the models.

    Returns the new revision file, or None when the models match the database.
    The new revision is not applied: review it, then ``upgrade``.
    """
    versions_dir(project_dir).mkdir(parents=True, exist_ok=True)
    upgrade(project_dir, url)
    config = make_config(project_dir, url)
    result = command.revision(config, message=name, autogenerate=True)
    scripts = result if isinstance(result, list) else [result]
    for script in scripts:
        if isinstance(script, Script) and script.path:
            return Path(script.path)
    return None


def upgrade(project_dir: Path, url: str, revision: str = "head") -> list[RevisionInfo]:
    """Apply revisions up to ``revision`` in one transaction; return the ones that were
    pending before (all of them applied when ``revision`` is head)."""
    versions_dir(project_dir).mkdir(parents=True, exist_ok=True)
    config = make_config(project_dir, url)
    _, pending = _applied_and_pending(config, url)
    command.upgrade(config, _heads(revision))
    return pending


def downgrade(project_dir: Path, url: str, revision: str = "-1") -> None:
    """Undo revisions down to ``revision`` (default: the last one)."""
    command.downgrade(make_config(project_dir, url), revision)


def _heads(revision: str) -> str:
    # One app, one branch: "head" and "heads" mean the same, "heads" also tolerates a merge.
    return "heads" if revision == "head" else revision


def _revision_info(script: Script) -> RevisionInfo:
    return RevisionInfo(script.revision, script.doc or "")


def status(project_dir: Path, url: str) -> MigrationStatus:
    """Applied and pending revisions, and whether the models need a new revision."""
    applied, pending = _applied_and_pending(make_config(project_dir, url), url)
    summary = pending_changes(project_dir, url)
    return MigrationStatus(
        applied=applied, pending=pending, models_differ=bool(summary), diff_summary=summary
    )


def _applied_and_pending(config: Config, url: str) -> tuple[list[RevisionInfo], list[RevisionInfo]]:
    """The app's revisions, oldest first, split by whether the database has them."""
    scripts = ScriptDirectory.from_config(config)
    with _connection(url) as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    every = list(reversed(list(scripts.walk_revisions("base", "heads"))))
    applied_ids: set[str] = set()
    for head in current:
        applied_ids.update(s.revision for s in scripts.iterate_revisions(head, "base") if s)
    return (
        [_revision_info(s) for s in every if s.revision in applied_ids],
        [_revision_info(s) for s in every if s.revision not in applied_ids],
    )


def pending_changes(project_dir: Path, url: str) -> list[str]:
    """What a new revision would contain, one line per change.

    Compares the models with the schema *after* the pending revisions: they are
    applied inside a transaction that is rolled back, so the database is untouched.
    """
    from sentinel_spec.migrations import enums
    from sentinel_spec.migrations.environment import (
        configure_options,
        describe,
        drop_equivalent_default_diffs,
    )

    metadata = load_metadata(project_dir)
    versions_dir(project_dir).mkdir(parents=True, exist_ok=True)
    with _connection(url) as connection:
        transaction = connection.begin()
        try:
            config = make_config(project_dir, url, connection)
            config.attributes["metadata"] = metadata
            command.upgrade(config, "heads")
            options = configure_options(metadata)
            migration = MigrationContext.configure(connection, opts=options)
            diffs = drop_equivalent_default_diffs(compare_metadata(migration, metadata))
            lines = describe(diffs)
            lines += enums.compare_enums(metadata, connection).summary()
        finally:
            transaction.rollback()
    return lines


def reset(project_dir: Path, url: str) -> None:
    """Drop every table and type of the schema, then apply all revisions again."""
    with _connection(url) as connection, connection.begin():
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    upgrade(project_dir, url)

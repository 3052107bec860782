"""Migrations of an app's database: alembic, driven from Python, no alembic.ini.

Alembic's environment (``env.py``, ``script.py.mako``) lives in this package; the
revisions live in the app, in ``<project>/migrations/``. Every command runs on one
connection in one transaction, so a failing revision leaves the schema as it was
(and a failing ``reset`` keeps the old data).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, text
from sqlalchemy.pool import NullPool

from sentinel_spec.migrations.models import ModelsNotFound, load_metadata
from sentinel_spec.runtime.db.urls import normalize_url

__all__ = [
    "Downgraded",
    "MigrationStatus",
    "ModelsNotFound",
    "RevisionFailed",
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
class Downgraded:
    undone: list[RevisionInfo]  # in the order they were undone (newest first)
    current: RevisionInfo | None  # the revision the database is at now; None: base


class RevisionFailed(RuntimeError):
    """A revision raised while running; the message names it. Its transaction was
    rolled back, so the database is as it was before the command."""

    def __init__(self, revision: RevisionInfo | None, error: BaseException) -> None:
        self.revision = revision
        orig = getattr(error, "orig", None)  # a DBAPIError's driver message, not its SQL dump
        reason = str(orig or error).strip() or type(error).__name__
        where = f"revision {revision}" if revision is not None else "a revision"
        super().__init__(f"{where} failed: {reason}")


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
def _transaction(project_dir: Path, url: str, *, commit: bool) -> Iterator[Config]:
    """A config bound to one connection inside one transaction.

    Every alembic command run with it shares that transaction; it commits when the
    block ends normally and ``commit`` is set, and is rolled back otherwise. This is
    what makes ``reset`` (drop + upgrade) all-or-nothing and lets ``status`` and
    ``migrate`` bring a throwaway copy of the schema to head.
    """
    versions_dir(project_dir).mkdir(parents=True, exist_ok=True)
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                yield make_config(project_dir, url, connection)
                if commit:
                    transaction.commit()
            finally:
                if transaction.is_active:
                    transaction.rollback()
    finally:
        engine.dispose()


def _bound(config: Config) -> Connection:
    connection: Connection = config.attributes["connection"]
    return connection


def migrate(project_dir: Path, url: str, name: str, *, job_queue: bool = False) -> Path | None:
    """Autogenerate a revision named ``name`` from the models; nothing is applied.

    With ``job_queue`` (the spec declares jobs) the revision also installs or upgrades
    the job queue's tables when they are missing or older than the installed procrastinate.

    The comparison runs against the schema as it will be after the pending
    revisions: they are applied inside a transaction that is rolled back. Returns
    the new revision file, or None when the models need no change. Review it, then
    ``upgrade``.
    """
    metadata = load_metadata(project_dir)
    with _transaction(project_dir, url, commit=False) as config:
        config.attributes["metadata"] = metadata
        config.attributes["job_queue"] = job_queue
        _upgrade(config, "head")
        result = command.revision(config, message=name, autogenerate=True)
    scripts = result if isinstance(result, list) else [result]
    for script in scripts:
        if isinstance(script, Script) and script.path:
            return Path(script.path)
    return None


def upgrade(project_dir: Path, url: str, revision: str = "head") -> list[RevisionInfo]:
    """Apply revisions up to ``revision`` in one transaction; return the ones applied,
    in order. A failing revision raises ``RevisionFailed`` and nothing is applied."""
    with _transaction(project_dir, url, commit=True) as config:
        return _upgrade(config, revision)


def _upgrade(config: Config, revision: str) -> list[RevisionInfo]:
    _, pending = _applied_and_pending(config)
    done = _run_steps(config, pending, lambda: command.upgrade(config, _heads(revision)))
    by_id = {r.revision: r for r in pending}
    return [by_id[d] for d in done if d in by_id]


def downgrade(project_dir: Path, url: str, revision: str = "-1") -> Downgraded:
    """Undo revisions down to ``revision`` (default: the last one; ``base``: all), in
    one transaction. At base already, nothing happens and ``undone`` is empty."""
    with _transaction(project_dir, url, commit=True) as config:
        applied, _ = _applied_and_pending(config)
        if not applied:
            return Downgraded(undone=[], current=None)
        plan = list(reversed(applied))
        done = _run_steps(config, plan, lambda: command.downgrade(config, revision))
        by_id = {r.revision: r for r in plan}
        now_applied, _ = _applied_and_pending(config)
    return Downgraded(
        undone=[by_id[d] for d in done if d in by_id],
        current=now_applied[-1] if now_applied else None,
    )


def _heads(revision: str) -> str:
    # One app, one branch: "head" and "heads" mean the same, "heads" also tolerates a merge.
    return "heads" if revision == "head" else revision


def _run_steps(config: Config, plan: list[RevisionInfo], run: Callable[[], object]) -> list[str]:
    """Run an alembic command; return the ids of the revisions it ran, in order.

    When a revision raises, ``RevisionFailed`` names it: the first of ``plan`` (the
    revisions in the order they would run) that did not finish.
    """
    from alembic.util.exc import CommandError

    from sentinel_spec.runtime.db.failures import is_connection_failure

    done: list[str] = []

    def record(*, step: MigrationInfo, **_: object) -> None:
        done.extend(step.up_revision_ids)

    config.attributes["on_version_apply"] = record
    try:
        run()
    except CommandError:
        raise  # alembic's own "no such revision" etc., not a revision's failure
    except Exception as error:
        if is_connection_failure(error):
            raise
        failed = next((r for r in plan if r.revision not in done), None)
        raise RevisionFailed(failed, error) from error
    finally:
        config.attributes.pop("on_version_apply", None)
    return done


def _revision_info(script: Script) -> RevisionInfo:
    return RevisionInfo(script.revision, script.doc or "")


def status(project_dir: Path, url: str, *, job_queue: bool = False) -> MigrationStatus:
    """Applied and pending revisions, and whether the models (or, with ``job_queue``, the
    job queue's tables) need a new revision."""
    metadata = load_metadata(project_dir)
    with _transaction(project_dir, url, commit=False) as config:
        applied, pending = _applied_and_pending(config)
        summary = _changes_after_upgrade(config, metadata, job_queue)
    return MigrationStatus(
        applied=applied, pending=pending, models_differ=bool(summary), diff_summary=summary
    )


def _applied_and_pending(config: Config) -> tuple[list[RevisionInfo], list[RevisionInfo]]:
    """The app's revisions, oldest first, split by whether the database has them."""
    scripts = ScriptDirectory.from_config(config)
    current = MigrationContext.configure(_bound(config)).get_current_heads()
    every = list(reversed(list(scripts.walk_revisions("base", "heads"))))
    applied_ids: set[str] = set()
    for head in current:
        applied_ids.update(s.revision for s in scripts.iterate_revisions(head, "base") if s)
    return (
        [_revision_info(s) for s in every if s.revision in applied_ids],
        [_revision_info(s) for s in every if s.revision not in applied_ids],
    )


def pending_changes(project_dir: Path, url: str, *, job_queue: bool = False) -> list[str]:
    """What a new revision would contain, one line per change.

    Compares the models with the schema *after* the pending revisions: they are
    applied inside a transaction that is rolled back, so the database is untouched.
    """
    metadata = load_metadata(project_dir)
    with _transaction(project_dir, url, commit=False) as config:
        return _changes_after_upgrade(config, metadata, job_queue)


def _changes_after_upgrade(
    config: Config, metadata: MetaData, job_queue: bool = False
) -> list[str]:
    from sentinel_spec.migrations import enums
    from sentinel_spec.migrations.environment import (
        configure_options,
        describe,
        drop_equivalent_default_diffs,
        foreign_key_cycles_handled,
    )

    config.attributes["metadata"] = metadata
    _upgrade(config, "head")
    connection = _bound(config)
    migration = MigrationContext.configure(connection, opts=configure_options(metadata))
    with foreign_key_cycles_handled():
        diffs = drop_equivalent_default_diffs(compare_metadata(migration, metadata))
    lines = describe(diffs) + enums.compare_enums(metadata, connection).summary()
    if job_queue:
        from sentinel_spec.migrations import job_queue as queue_schema

        lines += queue_schema.summary(connection)
    return lines


def reset(project_dir: Path, url: str) -> list[RevisionInfo]:
    """Drop every table and type of the schema, then apply all revisions again.

    Both in one transaction: when a revision fails, the old schema and its data stay.
    Returns the revisions applied.
    """
    with _transaction(project_dir, url, commit=True) as config:
        connection = _bound(config)
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        return _upgrade(config, "head")

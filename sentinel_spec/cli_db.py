"""``sentinel db``: migrations, seeds and a psql shell on the app's database.

Every command finds the database like ``sentinel dev``: ``DATABASE_URL`` when set,
otherwise the project's embedded PostgreSQL, started for the command and stopped
after it. Registered lazily by ``sentinel_spec.cli`` as ``main.add_command(db)``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from sentinel_spec.appspec import ExtImport
from sentinel_spec.cli import load, project_option, spec_path

P = ParamSpec("P")
R = TypeVar("R")


class DatabaseUnreachable(click.ClickException):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"cannot reach the database: {detail}\n"
            "Check DATABASE_URL (unset it to use the embedded PostgreSQL of `sentinel dev`)."
        )


class MigrationFailed(click.ClickException):
    def __init__(self, detail: str) -> None:
        super().__init__(f"{detail}\nThe database was left as it was before the command.")


class SeedFailed(click.ClickException):
    """A seed raised. Its own changes were rolled back; the seeds before it stay."""

    def __init__(self, name: str, committed: Sequence[str], error: BaseException) -> None:
        orig = getattr(error, "orig", None)  # a DBAPIError's driver message, not its SQL dump
        reason = str(orig or error).strip() or type(error).__name__
        kept = (
            f"Already committed, and kept: {', '.join(committed)}."
            if committed
            else "No seed was committed."
        )
        super().__init__(f"seed {name!r} failed: {reason}\nIts changes were rolled back. {kept}")
        self.seed = name
        self.committed = list(committed)


class SeedNotFound(click.UsageError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        listing = ", ".join(known) if known else "none: add `db: { seeds: [...] }` to app.sq"
        super().__init__(f"no seed named {name!r}; the spec declares: {listing}")


class PsqlMissing(click.ClickException):
    def __init__(self) -> None:
        super().__init__(
            "psql was not found on PATH. Install the PostgreSQL client "
            "(Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq) "
            "and run `sentinel db shell` again."
        )


# ---------------------------------------------------------------- helpers


@contextmanager
def database_url(project: Path) -> Iterator[str]:
    """The app's database URL for the duration of one command."""
    from sentinel_spec.commands.postgres import EmbeddedPostgresError, database_url_for

    try:
        url, server = database_url_for(project, os.environ)
    except EmbeddedPostgresError as error:
        raise click.ClickException(
            f"could not start the embedded PostgreSQL in {project / '.sentinel' / 'postgres'}: "
            f"{error}\nSet DATABASE_URL to use another server."
        ) from error
    if server is not None:
        click.echo(f"using the embedded PostgreSQL in {server.data_dir}", err=True)
    try:
        yield url
    finally:
        if server is not None:
            server.stop()


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the expected failures of a database command into messages, not tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from alembic.util.exc import CommandError
        from sqlalchemy.exc import DBAPIError, OperationalError

        from sentinel_spec.migrations import ModelsNotFound, RevisionFailed
        from sentinel_spec.runtime.db.failures import is_connection_failure
        from sentinel_spec.runtime.db.urls import DatabaseConfigError

        try:
            return command(*args, **kwargs)
        except (ModelsNotFound, DatabaseConfigError) as error:
            raise click.ClickException(str(error)) from error
        except RevisionFailed as error:  # already names the revision
            raise MigrationFailed(str(error)) from error
        except CommandError as error:
            raise MigrationFailed(f"alembic: {error}") from error
        except OperationalError as error:
            if is_connection_failure(error):
                raise DatabaseUnreachable(str(error.orig).strip()) from error
            raise MigrationFailed(str(error.orig).strip()) from error
        except DBAPIError as error:
            raise MigrationFailed(str(error.orig).strip()) from error

    return wrapper


# ---------------------------------------------------------------- seeds


def select_seeds(seeds: Sequence[ExtImport], name: str | None) -> list[ExtImport]:
    """All seeds, or the one called ``name`` (its alias or its function name)."""
    if name is None:
        return list(seeds)
    chosen = [s for s in seeds if name in (s.local_name, s.name)]
    if not chosen:
        raise SeedNotFound(name, [s.local_name for s in seeds])
    return chosen


async def run_seeds(
    project: Path,
    url: str,
    seeds: Sequence[ExtImport],
    name: str | None = None,
    on_committed: Callable[[str], None] | None = None,
) -> list[str]:
    """Call each seed (or the one named ``name``) as ``seed(session)``, one commit each.

    ``async def`` seeds get the ``AsyncSession``; plain functions get its sync
    ``Session`` (through ``run_sync``), so they can query too. ``on_committed(name)``
    is called as each one commits. A seed that raises stops the run with
    ``SeedFailed``, which names it and the seeds already committed.
    """
    import importlib

    from sentinel_spec.migrations.models import ensure_on_path, purge_modules
    from sentinel_spec.runtime.db.database import Database

    chosen = select_seeds(seeds, name)
    ensure_on_path(project)
    purge_modules("src", "generated")
    database = Database(url)
    ran: list[str] = []
    try:
        for seed in chosen:
            try:
                function = getattr(importlib.import_module(seed.module), seed.name)
                async with database.scope() as scope:
                    if inspect.iscoroutinefunction(function):
                        await function(scope.session)
                    else:  # a plain function gets a sync Session it can query with
                        await scope.session.run_sync(function)
            except Exception as error:
                raise SeedFailed(seed.local_name, ran, error) from error
            ran.append(seed.local_name)
            if on_committed is not None:
                on_committed(seed.local_name)
    finally:
        await database.dispose()
    return ran


# ---------------------------------------------------------------- commands


@click.group()
def db() -> None:
    """Migrations, seeds and a shell on the app's database."""


@db.command("migrate")
@project_option
@click.option("--name", "-n", required=True, help="What the change is, e.g. 'add cases'.")
@user_errors
def migrate_command(project: Path, name: str) -> None:
    """Write a new revision in migrations/ from the changes to the models."""
    from sentinel_spec import migrations

    project = spec_path(project).parent
    with database_url(project) as url:
        path = migrations.migrate(project, url, name)
    if path is None:
        click.echo("No changes: the models match the migrations.")
        return
    click.echo(
        f"Wrote {path.relative_to(project)}. Review it: a running `sentinel dev` applies it "
        "as soon as it appears; anywhere else, apply it with `sentinel db upgrade`."
    )


@db.command("upgrade")
@project_option
@click.argument("revision", default="head")
@user_errors
def upgrade_command(project: Path, revision: str) -> None:
    """Apply migrations up to REVISION (default: all), in one transaction."""
    from sentinel_spec import migrations

    project = spec_path(project).parent
    with database_url(project) as url:
        applied = migrations.upgrade(project, url, revision)
    if not applied:
        click.echo("Nothing to apply: the database is up to date.")
        return
    click.echo(f"Applied {len(applied)} migration(s):")
    for info in applied:
        click.echo(f"  {info}")


@db.command("downgrade")
@project_option
@click.argument("revision", default="-1")
@user_errors
def downgrade_command(project: Path, revision: str) -> None:
    """Undo migrations down to REVISION (default: the last one; 'base' for all)."""
    from sentinel_spec import migrations

    project = spec_path(project).parent
    with database_url(project) as url:
        result = migrations.downgrade(project, url, revision)
    if not result.undone:
        where = "already at base" if result.current is None else f"already at {result.current}"
        click.echo(f"Nothing to undo: the database is {where}.")
        return
    click.echo(f"Undid {len(result.undone)} migration(s):")
    for info in result.undone:
        click.echo(f"  {info}")
    reached = "base (no migration applied)" if result.current is None else str(result.current)
    click.echo(f"The database is now at {reached}.")


@db.command("status")
@project_option
@click.option("--check", is_flag=True, help="Exit 1 when migrations are pending or missing.")
@user_errors
def status_command(project: Path, check: bool) -> None:
    """Show applied and pending migrations, and model changes without a migration."""
    from sentinel_spec import migrations

    project = spec_path(project).parent
    with database_url(project) as url:
        state = migrations.status(project, url)
    click.echo(f"applied: {len(state.applied)}")
    for revision in state.applied:
        click.echo(f"  {revision}")
    click.echo(f"pending: {len(state.pending)}")
    for revision in state.pending:
        click.echo(f"  {revision}")
    if state.pending:
        click.echo("Run `sentinel db upgrade` to apply them.")
    if state.models_differ:
        click.echo("models differ from the migrations:")
        for line in state.diff_summary:
            click.echo(f"  {line}")
        click.echo('Run `sentinel db migrate --name "..."` to write a migration.')
    else:
        click.echo("models: in sync with the migrations")
    if check and (state.pending or state.models_differ):
        raise SystemExit(1)


@db.command("reset")
@project_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@user_errors
def reset_command(project: Path, yes: bool) -> None:
    """Drop every table and type, then apply all migrations again."""
    from sentinel_spec import migrations

    project = spec_path(project).parent
    if not yes:
        click.confirm("This deletes ALL data in the app's database. Continue?", abort=True)
    with database_url(project) as url:
        applied = migrations.reset(project, url)
    click.echo(f"Database reset: {len(applied)} migration(s) applied to an empty schema.")


@db.command("seed")
@project_option
@click.argument("name", required=False)
@user_errors
def seed_command(project: Path, name: str | None) -> None:
    """Run the seed functions of `app.db.seeds` (or only NAME), one commit each."""
    spec = load(project)
    project = spec_path(project).parent
    seeds = spec.app.db.seeds
    if not seeds:
        click.echo('No seeds: add `db: { seeds: [import { seed } from "@src/db/seeds"] }`.')
        return
    select_seeds(seeds, name)  # a wrong NAME fails before any database starts
    with database_url(project) as url:
        asyncio.run(
            run_seeds(project, url, seeds, name, lambda done: click.echo(f"seeded: {done}"))
        )


@db.command("shell", context_settings={"ignore_unknown_options": True})
@project_option
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
def shell_command(project: Path, psql_args: tuple[str, ...]) -> None:
    """Open psql on the app's database; extra arguments go to psql (-c "SELECT 1")."""
    from sentinel_spec.runtime.db.urls import libpq_url

    project = spec_path(project).parent
    psql = _find_psql()
    with database_url(project) as url:
        code = subprocess.run([psql, libpq_url(url), *psql_args], check=False).returncode
    if code:
        raise SystemExit(code)


def _find_psql() -> str:
    found = shutil.which("psql")
    if found:
        return found
    from sentinel_spec.commands.postgres import postgres_bin_dir

    bundled = postgres_bin_dir() / "psql"
    if bundled.exists():
        return str(bundled)
    raise PsqlMissing()

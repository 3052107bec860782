"""The job queue's schema in the app's revisions: ``sentinel db migrate`` notices that
procrastinate's tables are missing or older than the installed procrastinate and puts
the SQL that installs or upgrades them into the revision it writes.

The SQL is written into the revision itself (not read from procrastinate when the
revision runs), so a revision does the same thing whatever is installed later. It runs
on the raw psycopg connection: no bind-parameter parsing of ``%`` or ``:name`` in
PL/pgSQL bodies, and psycopg accepts a multi-statement script without parameters.
"""

from __future__ import annotations

from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from sqlalchemy import Connection, text

from sentinel_spec.runtime.jobs import schema


class ExecuteScriptOp(ops.MigrateOperation):
    """A SQL script rendered verbatim into a revision, with a comment saying what it is."""

    def __init__(self, sql: str, comment: str) -> None:
        self.sql = sql
        self.comment = comment

    def reverse(self) -> ExecuteScriptOp:  # pragma: no cover - we add the inverse ourselves
        raise NotImplementedError


@renderers.dispatch_for(ExecuteScriptOp)
def _render(autogen_context: AutogenContext, op: ExecuteScriptOp) -> str:
    sql = op.sql.expandtabs(4)  # procrastinate indents some bodies with tabs; ruff refuses
    return (
        f"# {op.comment}\n"
        "op.get_bind().connection.driver_connection.execute(\n"
        f'    r"""\n{sql}"""\n'
        ")"
    )


NOT_REVERSIBLE = (
    "raise NotImplementedError("
    '"procrastinate\'s schema migrations are forward-only: restore a backup to go back"'
    ")"
)


class _RaiseOp(ops.MigrateOperation):
    def __init__(self, code: str) -> None:
        self.code = code


@renderers.dispatch_for(_RaiseOp)
def _render_raise(autogen_context: AutogenContext, op: _RaiseOp) -> str:
    return op.code


def state(connection: Connection) -> schema.SchemaState:
    marker = connection.execute(text(schema.STATE_QUERY)).scalar_one_or_none()
    return schema.state_from_marker(marker)


def summary(connection: Connection) -> list[str]:
    """``sentinel db status`` lines for a job queue schema that needs a revision."""
    current = state(connection)
    if current.missing:
        return [f"install the job queue schema (procrastinate {schema.show(current.target)})"]
    if current.behind:
        return [
            "upgrade the job queue schema (procrastinate "
            f"{schema.show(current.installed)} -> {schema.show(current.target)})"
        ]
    return []


def add_operations(connection: Connection, script: ops.MigrationScript) -> None:
    """Put the install or upgrade of procrastinate's schema first in a new revision."""
    current = state(connection)
    upgrade, downgrade = script.upgrade_ops, script.downgrade_ops
    assert upgrade is not None and downgrade is not None
    target = schema.show(current.target)
    if current.missing:
        upgrade.ops.insert(
            0, ExecuteScriptOp(schema.install_sql(), f"The job queue: procrastinate {target}.")
        )
        downgrade.ops.append(ExecuteScriptOp(schema.DROP_SQL, "Drop the job queue's tables."))
    elif current.behind:
        assert current.installed is not None
        upgrade.ops.insert(
            0,
            ExecuteScriptOp(
                schema.upgrade_sql(current.installed),
                f"The job queue: procrastinate {schema.show(current.installed)} -> {target}.",
            ),
        )
        downgrade.ops.append(_RaiseOp(NOT_REVERSIBLE))

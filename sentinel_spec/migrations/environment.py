"""What ``env.py`` runs: online migrations of one project, in ONE transaction.

The Python API (``sentinel_spec.migrations``) passes the project folder, the URL and
optionally an open connection through ``Config.attributes``; nothing is read from an
``alembic.ini``.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Enum, ForeignKeyConstraint, MetaData, create_engine
from sqlalchemy.exc import SAWarning
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import SchemaItem

from sentinel_spec.migrations import enums
from sentinel_spec.migrations.models import load_metadata

VERSION_TABLE = "alembic_version"


def include_name(
    name: str | None,
    type_: Literal[
        "schema", "table", "column", "index", "unique_constraint", "foreign_key_constraint"
    ],
    parent_names: Any,
) -> bool:
    """Leave tables of other tools sharing the schema (the job queue) alone."""
    if type_ == "table" and name is not None:
        return not name.startswith(enums.IGNORED_PREFIXES)
    return True


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render native enums as ``postgresql.ENUM(..., create_type=False)``.

    The type itself is created by an explicit ``CREATE TYPE`` (see ``enums``).
    """
    if type_ == "type" and isinstance(obj, Enum) and enums.is_native_enum(obj):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        labels = ", ".join(repr(v) for v in obj.enums)
        return f"postgresql.ENUM({labels}, name={obj.name!r}, create_type=False)"
    return False


def add_enum_operations(
    migration: MigrationContext,
    metadata: MetaData,
    directives: list[ops.MigrationScript],
    job_queue: bool = False,
) -> None:
    """Put enum DDL around alembic's table operations; drop an empty revision."""
    if not directives:
        return
    script = directives[0]
    connection = migration.connection
    assert connection is not None
    changes = enums.compare_enums(metadata, connection)
    upgrade = script.upgrade_ops
    downgrade = script.downgrade_ops
    assert upgrade is not None and downgrade is not None
    drop_equivalent_defaults(upgrade)
    drop_equivalent_defaults(downgrade)
    if job_queue:
        from sentinel_spec.migrations import job_queue as queue_schema

        queue_schema.add_operations(connection, script)
    # Inserted at the front in reverse, so the revision lists them alphabetically.
    for name, values in sorted(changes.created.items(), reverse=True):
        upgrade.ops.insert(0, ops.ExecuteSQLOp(enums.create_type_sql(name, values)))
        downgrade.ops.append(ops.ExecuteSQLOp(enums.drop_type_sql(name)))
    for name, values in sorted(changes.dropped.items(), reverse=True):
        upgrade.ops.append(ops.ExecuteSQLOp(enums.drop_type_sql(name)))
        downgrade.ops.insert(0, ops.ExecuteSQLOp(enums.create_type_sql(name, values)))
    for name, values in sorted(changes.extended.items(), reverse=True):
        # PostgreSQL cannot remove an enum value, so the downgrade keeps it.
        for value in reversed(values):
            upgrade.ops.insert(0, ops.ExecuteSQLOp(enums.add_value_sql(name, value)))
    if upgrade.is_empty():
        directives[:] = []


@contextlib.contextmanager
def foreign_key_cycles_handled() -> Iterator[None]:
    """Without SQLAlchemy's warning that it cannot sort tables that refer to each other:
    ``defer_forward_foreign_keys`` orders what alembic writes for them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Cannot correctly sort tables", SAWarning)
        yield


def defer_forward_foreign_keys(script: ops.MigrationScript) -> None:
    """Foreign keys to a table the same revision creates later, added once every table
    exists and dropped before any table goes. Alembic writes each table's foreign keys
    inside its ``create_table``, in an order no order of tables can satisfy when entities
    refer to each other (``Team.owner`` -> Person, ``Person.team`` -> Team): the first
    revision failed with ``relation "Team" does not exist``."""
    upgrade, downgrade = script.upgrade_ops, script.downgrade_ops
    assert upgrade is not None and downgrade is not None
    creates = [op for op in upgrade.ops if isinstance(op, ops.CreateTableOp)]
    to_come = {(op.schema, op.table_name) for op in creates}
    deferred: list[ForeignKeyConstraint] = []
    for create in creates:
        to_come.discard((create.schema, create.table_name))  # a self-reference stays inline
        forward = [
            item
            for item in create.columns
            if isinstance(item, ForeignKeyConstraint)
            and (item.referred_table.schema, item.referred_table.name) in to_come
        ]
        if forward:
            # By identity: a Column's == builds an SQL expression.
            create.columns = [c for c in create.columns if not any(c is fk for fk in forward)]
            deferred.extend(forward)
    if not deferred:
        return
    after = max(upgrade.ops.index(op) for op in creates) + 1
    upgrade.ops[after:after] = [ops.CreateForeignKeyOp.from_constraint(fk) for fk in deferred]
    downgrade.ops[0:0] = [ops.DropConstraintOp.from_constraint(fk) for fk in reversed(deferred)]


_CAST = re.compile(r"::[a-z_ ]+(\[\])?")


def _normalized_default(sql: str) -> str:
    """``'a'::text`` and ``('a')`` both as ``'a'``; case and spaces ignored."""
    text = _CAST.sub("", sql.strip().lower())
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return " ".join(text.split())


def same_default(database: Any, models: Any) -> bool:
    """True when two server defaults differ only in casts, parentheses or case.

    PostgreSQL reports ``gen_random_uuid()::text`` back as ``(gen_random_uuid())::text``;
    alembic then evaluates both in a SELECT, and a volatile default (a uuid, ``now()``)
    never compares equal, so every revision would "change" it again.
    """
    if database is None or models is None:
        return False
    normalize = _normalized_default
    return normalize(_show_default(database)) == normalize(_show_default(models))


def drop_equivalent_defaults(operations: ops.OpContainer) -> None:
    """Remove default changes ``same_default`` calls no change, and ops left empty."""
    for table_ops in list(operations.ops):
        if not isinstance(table_ops, ops.ModifyTableOps):
            continue
        for op in list(table_ops.ops):
            if (
                isinstance(op, ops.AlterColumnOp)
                and op.modify_server_default is not False
                and same_default(op.existing_server_default, op.modify_server_default)
            ):
                op.modify_server_default = False
                if not op.has_changes():
                    table_ops.ops.remove(op)
        if not table_ops.ops:
            operations.ops.remove(table_ops)


def drop_equivalent_default_diffs(diffs: list[Any]) -> list[Any]:
    """The same filter for ``compare_metadata`` output."""
    kept: list[Any] = []
    for diff in diffs:
        if isinstance(diff, list):
            inner = [d for d in diff if not (d[0] == "modify_default" and same_default(d[5], d[6]))]
            if inner:
                kept.append(inner)
        else:
            kept.append(diff)
    return kept


def _show_default(value: Any) -> str:
    arg = getattr(value, "arg", value)
    return str(getattr(arg, "text", arg))


def configure_options(metadata: MetaData) -> dict[str, Any]:
    """Comparison options shared by migrations and by ``pending_changes``."""
    return {
        "target_metadata": metadata,
        "compare_type": True,
        "compare_server_default": True,
        "include_name": include_name,
        "render_item": render_item,
        "version_table": VERSION_TABLE,
        # One transaction for the whole upgrade: a failing revision undoes them all.
        "transaction_per_migration": False,
    }


def run_migrations(config: Config) -> None:
    if context.is_offline_mode():
        raise RuntimeError("offline (--sql) migrations are not supported")
    project_dir: Path = config.attributes["project_dir"]
    metadata: MetaData = config.attributes.get("metadata") or load_metadata(project_dir)
    # Called after each revision, so the caller knows which ran and which failed.
    on_version_apply: Callable[..., None] | None = config.attributes.get("on_version_apply")
    # The app declares jobs: new revisions also install/upgrade the job queue's schema.
    job_queue: bool = config.attributes.get("job_queue", False)
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run(connection, metadata, on_version_apply, job_queue)
        return
    engine = create_engine(config.attributes["url"], poolclass=NullPool)
    try:
        with engine.connect() as own_connection:
            _run(own_connection, metadata, on_version_apply, job_queue)
    finally:
        engine.dispose()


def _run(
    connection: Connection,
    metadata: MetaData,
    on_version_apply: Callable[..., None] | None,
    job_queue: bool = False,
) -> None:
    def process_revision_directives(
        migration: MigrationContext, revision: Any, directives: list[ops.MigrationScript]
    ) -> None:
        add_enum_operations(migration, metadata, directives, job_queue)
        if directives:
            defer_forward_foreign_keys(directives[0])

    hooks: dict[str, Any] = {}
    if on_version_apply is not None:
        hooks["on_version_apply"] = on_version_apply
    context.configure(
        connection=connection,
        process_revision_directives=process_revision_directives,
        **hooks,
        **configure_options(metadata),
    )
    # Inside a caller's transaction (status' dry run) this is a no-op and the caller
    # decides whether to commit; otherwise it commits once at the end.
    with context.begin_transaction(), foreign_key_cycles_handled():
        context.run_migrations()


def describe(diffs: Iterable[Any]) -> list[str]:
    """One line per difference from ``alembic.autogenerate.compare_metadata``."""
    lines: list[str] = []
    for diff in diffs:
        if isinstance(diff, list):  # modify_* entries come grouped per column
            lines.extend(describe(diff))
            continue
        kind = diff[0]
        if kind in ("add_table", "remove_table"):
            lines.append(f"{kind.replace('_', ' ')} {diff[1].name}")
        elif kind in ("add_column", "remove_column"):
            lines.append(f"{kind.replace('_', ' ')} {diff[2]}.{diff[3].name}")
        elif kind in ("add_index", "remove_index"):
            index = diff[1]
            lines.append(f"{kind.replace('_', ' ')} {index.name} on {index.table.name}")
        elif kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
            constraint: SchemaItem = diff[1]
            table = getattr(constraint, "table", None)
            where = f" on {table.name}" if table is not None else ""
            label = kind.replace("_fk", "_foreign_key").replace("_", " ")
            lines.append(f"{label} {getattr(constraint, 'name', None)}{where}")
        elif kind.startswith("modify_"):
            _, _schema, table_name, column_name, _info, old, new = diff
            if kind == "modify_default":
                old, new = _show_default(old), _show_default(new)
            lines.append(f"{kind.replace('_', ' ')} {table_name}.{column_name}: {old} -> {new}")
        else:
            lines.append(str(diff))
    return lines

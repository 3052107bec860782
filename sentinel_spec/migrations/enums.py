"""PostgreSQL enum types, which alembic's autogenerate leaves to us.

Alembic creates an enum type as a side effect of ``create_table`` but never drops
it, and ignores enums that gain values. We compare the metadata's native enums with
``pg_type`` and emit explicit ``CREATE TYPE`` / ``ALTER TYPE`` / ``DROP TYPE``
statements; columns are rendered with ``create_type=False`` so nothing is created
twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Enum, MetaData, text
from sqlalchemy.types import ARRAY, TypeEngine

# Types owned by other tools living in the same schema (the job queue).
IGNORED_PREFIXES: tuple[str, ...] = ("procrastinate",)

_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class EnumChanges:
    created: dict[str, tuple[str, ...]]  # new in the models
    dropped: dict[str, tuple[str, ...]]  # in the database only
    extended: dict[str, tuple[str, ...]]  # name -> values added to an existing type

    def summary(self) -> list[str]:
        lines = [f"add enum type {name} {list(values)}" for name, values in self.created.items()]
        lines += [f"drop enum type {name}" for name in self.dropped]
        lines += [
            f"add values {list(values)} to enum type {name}"
            for name, values in self.extended.items()
        ]
        return lines


def is_native_enum(type_: TypeEngine[Any]) -> bool:
    return isinstance(type_, Enum) and type_.native_enum and type_.name is not None


def model_enums(metadata: MetaData) -> dict[str, tuple[str, ...]]:
    """Native enum types used by the metadata's columns (also inside ARRAY)."""
    found: dict[str, tuple[str, ...]] = {}
    # Any table order does (the result is keyed by name); sorted_tables would warn about
    # entities that refer to each other.
    for table in metadata.tables.values():
        for column in table.columns:
            type_: TypeEngine[Any] = column.type
            if isinstance(type_, ARRAY):
                type_ = type_.item_type
            if is_native_enum(type_):
                assert isinstance(type_, Enum) and type_.name is not None
                found[type_.name] = tuple(type_.enums)
    return found


def database_enums(connection: Connection) -> dict[str, tuple[str, ...]]:
    rows = connection.execute(
        text(
            "SELECT t.typname, e.enumlabel FROM pg_type t"
            " JOIN pg_enum e ON e.enumtypid = t.oid"
            " JOIN pg_namespace n ON n.oid = t.typnamespace"
            " WHERE n.nspname = current_schema()"
            " ORDER BY t.typname, e.enumsortorder"
        )
    )
    found: dict[str, list[str]] = {}
    for name, label in rows:
        if not name.startswith(IGNORED_PREFIXES):
            found.setdefault(name, []).append(label)
    return {name: tuple(labels) for name, labels in found.items()}


def compare_enums(metadata: MetaData, connection: Connection) -> EnumChanges:
    wanted = model_enums(metadata)
    present = database_enums(connection)
    extended = {
        name: tuple(v for v in values if v not in present[name])
        for name, values in wanted.items()
        if name in present and set(values) - set(present[name])
    }
    return EnumChanges(
        created={n: v for n, v in wanted.items() if n not in present},
        dropped={n: v for n, v in present.items() if n not in wanted},
        extended=extended,
    )


def create_type_sql(name: str, values: tuple[str, ...]) -> str:
    labels = ", ".join(_literal(v) for v in values)
    return f"CREATE TYPE {_identifier(name)} AS ENUM ({labels})"


def drop_type_sql(name: str) -> str:
    return f"DROP TYPE IF EXISTS {_identifier(name)}"


def add_value_sql(name: str, value: str) -> str:
    # Allowed inside a transaction since PostgreSQL 12 (the value is usable after commit).
    return f"ALTER TYPE {_identifier(name)} ADD VALUE IF NOT EXISTS {_literal(value)}"


def _identifier(name: str) -> str:
    if _PLAIN_IDENTIFIER.fullmatch(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"

"""Rules of the realtime feature beyond its schema: the tables it reserves.

A spec with a ``websocket``, ``app.webSocket`` or ``app.uploads`` gets the realtime tables
beside its entities (``generator/models.py``, ``uses_realtime_tables``): an entity mapped to
one of their names would be a second table of the same name in the app's metadata, found
only when the models are imported. The names are listed here (not imported from the
runtime) so the compiler never loads it; ``tests/unit/realtime`` holds the two lists to
the same values.
"""

from __future__ import annotations

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context, value
from sentinel_spec.errors import SpecError

# The tables define_realtime_tables adds (runtime/realtime/tables.py).
REALTIME_TABLES = ("sentinel_realtime_messages", "sentinel_files")


def _realtime_declared(ctx: Context) -> str | None:
    """What makes the spec use the realtime tables, for the message (None: nothing)."""
    sockets = ctx.of_kind("websocket")
    if sockets:
        return f"websocket `{sockets[0].name.name}`"
    app = ctx.app
    if app is None:
        return None
    for key in ("webSocket", "uploads"):
        if isinstance(value(app.body, key), ast.DictExpr):
            return f"app.{key}"
    return None


def realtime_tables_are_reserved(ctx: Context) -> list[SpecError]:
    why = _realtime_declared(ctx)
    if why is None:
        return []
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        table = info.table or info.name
        if table in REALTIME_TABLES:
            errors.append(
                SpecError(
                    info.node.name.span,
                    f"entity `{info.name}` would use table `{table}`, which the realtime "
                    f"feature ({why}) reserves for its own tables; rename it or give it "
                    "another @@map",
                )
            )
    return errors


REALTIME_RULES = (realtime_tables_are_reserved,)

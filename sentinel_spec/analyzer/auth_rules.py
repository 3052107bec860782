"""Rules of ``app.auth`` beyond its schema: the user entity, reserved tables,
timeouts, and the fields ``auth.workspaces`` names.

Names the auth feature reserves are listed here (not imported from the runtime) so the
compiler never loads it; ``tests/unit/auth`` holds the two lists to the same values.
"""

from __future__ import annotations

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context, value
from sentinel_spec.analyzer.messages import suggest
from sentinel_spec.analyzer.model import EntityInfo
from sentinel_spec.analyzer.units import parse_duration
from sentinel_spec.errors import SpecError
from sentinel_spec.literals import LiteralError

# The tables define_auth_tables adds beside the user's (runtime/auth/tables.py).
AUTH_TABLES = (
    "auth_identities",
    "auth_sessions",
    "auth_refresh_tokens",
    "auth_two_factor",
    "auth_backup_codes",
    "auth_one_time_tokens",
)
MAX_BACKUP_CODES = 50


def _auth(ctx: Context) -> ast.DictExpr | None:
    app = ctx.app
    found = value(app.body, "auth") if app is not None else None
    return found if isinstance(found, ast.DictExpr) else None


def _entity_ref(auth: ast.DictExpr, *path: str) -> ast.Ref | None:
    found = value(auth, *path)
    return found if isinstance(found, ast.Ref) else None


def user_entity_has_single_id(ctx: Context) -> list[SpecError]:
    auth = _auth(ctx)
    ref = _entity_ref(auth, "userEntity") if auth is not None else None
    info = ctx.entities.get(ref.name) if ref is not None else None
    if ref is None or info is None or len(info.primary_key) <= 1:
        return []
    return [
        SpecError(
            ref.span,
            f"userEntity `{ref.name}` needs a single-field id: the auth tables refer to "
            f"users by one column (it has {', '.join(info.primary_key)})",
        )
    ]


def auth_tables_are_reserved(ctx: Context) -> list[SpecError]:
    if _auth(ctx) is None:
        return []
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        table = info.table or info.name
        if table in AUTH_TABLES:
            errors.append(
                SpecError(
                    info.node.name.span,
                    f"entity `{info.name}` would use table `{table}`, which `app.auth` "
                    "reserves for its own tables; rename it or give it another @@map",
                )
            )
    return errors


def session_timeouts(ctx: Context) -> list[SpecError]:
    auth = _auth(ctx)
    if auth is None:
        return []
    errors: list[SpecError] = []
    idle_node = value(auth, "sessions", "idleTimeout")
    absolute_node = value(auth, "sessions", "absoluteTimeout")
    idle = _duration(idle_node)
    absolute = _duration(absolute_node)
    if idle is not None and absolute is not None and idle > absolute:
        assert isinstance(idle_node, ast.StringLit)
        errors.append(
            SpecError(
                idle_node.span,
                f"`idleTimeout` ({idle_node.value}) is longer than `absoluteTimeout`, "
                "so it would never apply",
            )
        )
    codes = value(auth, "twoFactor", "backupCodes")
    if isinstance(codes, ast.NumberLit) and not 1 <= codes.value <= MAX_BACKUP_CODES:
        errors.append(SpecError(codes.span, f"`backupCodes` must be from 1 to {MAX_BACKUP_CODES}"))
    return errors


def _duration(node: ast.Expr | None) -> int | None:
    if not isinstance(node, ast.StringLit):
        return None
    try:
        return parse_duration(node.value)
    except LiteralError:  # out of range: the field's own check reports it
        return None


# field -> (the entity it belongs on, what its type must be, default name)
_WORKSPACE_FIELDS: tuple[tuple[str, str, str, str | None], ...] = (
    ("roleField", "memberEntity", "enum or String", "role"),
    ("userField", "memberEntity", "scalar", "userId"),
    ("workspaceField", "memberEntity", "scalar", "workspaceId"),
    ("ipAllowlistField", "entity", "String[]", None),
    ("sessionTimeoutField", "entity", "Int", None),
)


def workspace_fields(ctx: Context) -> list[SpecError]:
    auth = _auth(ctx)
    workspaces = value(auth, "workspaces") if auth is not None else None
    if not isinstance(workspaces, ast.DictExpr):
        return []
    errors: list[SpecError] = []
    entities: dict[str, EntityInfo] = {}
    for key in ("entity", "memberEntity"):
        ref = _entity_ref(workspaces, key)
        info = ctx.entities.get(ref.name) if ref is not None else None
        if info is None:
            return []  # an unknown entity is already reported by the schema check
        entities[key] = info
    workspace = entities["entity"]
    if len(workspace.primary_key) != 1:
        ref = _entity_ref(workspaces, "entity")
        assert ref is not None
        errors.append(
            SpecError(ref.span, f"workspace entity `{workspace.name}` needs a single-field id")
        )
    for key, owner, wanted, default in _WORKSPACE_FIELDS:
        node = value(workspaces, key)
        if node is None and default is None:
            continue
        name = node.value if isinstance(node, ast.StringLit) else default
        if name is None:
            continue
        info = entities[owner]
        found = info.by_name.get(name)
        span = node.span if node is not None else workspaces.span
        if found is None:
            message = f"`auth.workspaces.{key}`: entity `{info.name}` has no field `{name}`" + (
                "" if node is not None else f" (the default; set `{key}`)"
            )
            errors.append(SpecError(span, suggest(message, name, list(info.by_name))))
            continue
        problem = _type_problem(found.kind, found.type_name, found.node.type.is_list, wanted)
        if problem:
            errors.append(
                SpecError(
                    span,
                    f"`auth.workspaces.{key}`: field `{info.name}.{name}` must be {wanted}, "
                    f"not {problem}",
                )
            )
    return errors


def _type_problem(kind: str | None, type_name: str, is_list: bool, wanted: str) -> str | None:
    shown = type_name + ("[]" if is_list else "")
    if kind is None:
        return None  # an unknown type is reported by the entity rules
    if wanted == "String[]":
        return None if (type_name == "String" and is_list) else shown
    if is_list or kind == "relation":
        return shown
    if wanted == "Int":
        return None if type_name in ("Int", "BigInt") else shown
    if wanted == "enum or String":
        return None if kind == "enum" or type_name == "String" else shown
    return None


AUTH_RULES = (
    user_entity_has_single_id,
    auth_tables_are_reserved,
    session_timeouts,
    workspace_fields,
)

"""Workspace guards for the app's own operations: membership, role, IP allowlist and the
workspace's session timeout, in one call.

    membership = await require_role(context, args.workspaceId, "ADMIN")

The app says where memberships live in ``app.auth.workspaces`` (docs/auth.md,
"Workspaces"): the workspace entity, the membership entity and its role, user and
workspace fields, and optionally the workspace's IP allowlist field (a ``String[]`` of
CIDRs or addresses) and session timeout field (minutes, an ``Int``).

Answers, all JSON errors of the runtime: 401 nobody signed in, or the session has been
idle longer than the workspace allows; 404 not a member (the same answer as for a
workspace that does not exist); 403 role too weak, or the client IP outside the
allowlist (checked before the role, after the membership). An id the client sent is
never taken as proof of anything: the membership row is looked up for the signed-in user.
"""

from __future__ import annotations

import enum
import ipaddress
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from sentinel_spec.runtime.auth.authenticator import auth_state
from sentinel_spec.runtime.auth.config import WorkspaceRules
from sentinel_spec.runtime.errors import HttpError

security_log = logging.getLogger("sentinel.security")

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def role_name(value: Any) -> str:
    return value.name if isinstance(value, enum.Enum) else str(value)


def role_rank(rules: WorkspaceRules, role: Any) -> int:
    """0 for the strongest role; roles the rules do not know rank below every known one."""
    name = role_name(role).upper()
    order = [r.upper() for r in rules.roles]
    return order.index(name) if name in order else len(order)


def has_role(rules: WorkspaceRules, role: Any, minimum: str) -> bool:
    if minimum.upper() not in [r.upper() for r in rules.roles]:
        raise ValueError(f"unknown role {minimum!r}; the roles are {', '.join(rules.roles)}")
    return role_rank(rules, role) <= role_rank(rules, minimum)


def parse_allowlist(entries: Iterable[str] | None) -> list[IpNetwork]:
    """CIDRs and single addresses; malformed entries are skipped (and never match)."""
    networks: list[IpNetwork] = []
    for entry in entries or ():
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def ip_allowed(ip: str | None, allowlist: Iterable[str] | None) -> bool:
    """True for an empty allowlist; else ``ip`` must fall in one of its networks."""
    entries = [e for e in (allowlist or ()) if str(e).strip()]
    if not entries:
        return True
    if ip is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in parse_allowlist(entries))


def _rules(context: Any) -> tuple[WorkspaceRules, Any]:
    request = getattr(context, "request", None) or getattr(context, "websocket", None)
    if request is None:
        raise RuntimeError("require_role needs a request or websocket context (not a job's)")
    state = request.app.state.sentinel
    authenticator = state.services.authenticator if hasattr(state, "services") else None
    service = getattr(authenticator, "service", None)
    rules = getattr(getattr(service, "config", None), "workspaces", None)
    if rules is None:
        raise RuntimeError(
            "require_role: declare where memberships live in app.auth.workspaces "
            "(entity, memberEntity, ...)"
        )
    return rules, request


async def require_role(context: Any, workspace_id: Any, minimum: str = "VIEWER") -> Any:
    """The signed-in user's membership of ``workspace_id`` with at least ``minimum``'s
    rights, after the workspace's IP allowlist and session timeout checks."""
    membership, _ = await require_access(context, workspace_id, minimum)
    return membership


async def require_access(
    context: Any, workspace_id: Any, minimum: str = "VIEWER", *, columns: Sequence[Any] = ()
) -> tuple[Any, Any]:
    """``require_role`` that also reads ``columns`` (the workspace model's attributes, or
    scalar subqueries) in the same single query: ``(membership, row)``, ``row`` holding
    ``columns`` in order. An app rule needing workspace state costs no second query."""
    rules, request = _rules(context)
    user = context.user
    if user is None:
        raise HttpError(401)
    member, workspace = rules.member_model, rules.workspace_model
    primary: Any = next(iter(sa.inspect(workspace).primary_key))
    fields = _access_fields(rules)
    found = (
        await context.session.execute(
            sa.select(member, *(getattr(workspace, f) for f in fields), *columns)
            .join(workspace, primary == getattr(member, rules.workspace_field))
            .where(
                getattr(member, rules.user_field) == user.id,
                getattr(member, rules.workspace_field) == workspace_id,
            )
        )
    ).first()
    if found is None:
        # The same answer as for a workspace that does not exist: ids cannot be probed.
        raise HttpError(404, "Workspace not found")
    membership = found[0]
    _check_values(
        context,
        workspace_id,
        rules,
        request,
        dict(zip(fields, found[1 : 1 + len(fields)], strict=True)),
    )
    role = getattr(membership, rules.role_field)
    if not has_role(rules, role, minimum):
        raise HttpError(
            403,
            f"This needs the {minimum.upper()} role or a stronger one",
            {"reason": "role", "requiredRole": minimum.upper(), "role": role_name(role)},
        )
    return membership, tuple(found[1 + len(fields) :])


def _access_fields(rules: WorkspaceRules) -> list[str]:
    return [f for f in (rules.ip_allowlist_field, rules.session_timeout_field) if f]


async def check_workspace_access(
    context: Any, workspace_id: Any, *, rules: WorkspaceRules | None = None, request: Any = None
) -> None:
    """The allowlist and session-timeout checks alone (``require_role`` runs them too)."""
    if rules is None or request is None:
        rules, request = _rules(context)
    fields = _access_fields(rules)
    if not fields:
        return
    workspace = rules.workspace_model
    primary: Any = next(iter(sa.inspect(workspace).primary_key))
    row = (
        await context.session.execute(
            sa.select(*(getattr(workspace, f) for f in fields)).where(primary == workspace_id)
        )
    ).first()
    if row is None:
        raise HttpError(404, "No such workspace")
    _check_values(context, workspace_id, rules, request, dict(zip(fields, row, strict=True)))


def _check_values(
    context: Any, workspace_id: Any, rules: WorkspaceRules, request: Any, values: dict[str, Any]
) -> None:
    """The allowlist and idle-time rules on the workspace's values of those fields."""
    ip = request.client.host if request.client else None
    if rules.ip_allowlist_field and not ip_allowed(ip, values[rules.ip_allowlist_field]):
        security_log.warning(
            "workspace access refused: client IP outside the allowlist",
            extra={
                "event": "auth.ip_not_allowed",
                "workspace_id": workspace_id,
                "user_id": getattr(context.user, "id", None),
                "ip": ip,
            },
        )
        raise HttpError(
            403, "Your IP address is not allowed in this workspace", {"reason": "ip_not_allowed"}
        )
    minutes = values.get(rules.session_timeout_field) if rules.session_timeout_field else None
    state = auth_state(request)
    if (
        isinstance(minutes, int)
        and minutes > 0
        and state is not None
        and state.session.idle_seconds(datetime.now(UTC)) > minutes * 60
    ):
        raise HttpError(
            401,
            "Your session has been idle too long for this workspace; sign in again",
            {"reason": "workspace_session_timeout"},
        )

"""The calls SentinelIQ's pages make into the platform and notifications code.

Pages never decide who may do what: every function here hands over to the service the
operations use (membership, roles, rate limits, audit rows live there) and only shapes
its answer for a template.
"""

from __future__ import annotations

from typing import Any

from src.core.workspace import access
from src.core.workspace import operations as workspace_ops


def _memo(context: Any) -> dict[str, Any]:
    """Answers kept for the rest of one request (the layout and the page both ask for the
    user's workspaces; one query serves both). Cleared by ``forget`` after a change."""
    request = context.request
    if request is None:
        return {}
    memo: dict[str, Any] = request.scope.setdefault("sentineliq.pages.memo", {})
    return memo


def forget(context: Any) -> None:
    _memo(context).clear()


async def my_workspaces(context: Any) -> list[dict[str, Any]]:
    """The signed-in user's workspaces with their role, newest first."""
    memo = _memo(context)
    if "workspaces" not in memo:
        memo["workspaces"] = await workspace_ops.get_workspaces(None, context)
    rows: list[dict[str, Any]] = memo["workspaces"]
    return rows


async def current_workspace(context: Any, workspaces: list[dict[str, Any]]) -> str | None:
    """The workspace the user works in (User.currentWorkspaceId while still a member),
    else the newest one they belong to."""
    memo = _memo(context)
    if "current" not in memo:
        memo["current"] = await access.current_workspace_id(context)
    chosen = memo["current"]
    if chosen is not None and any(w["id"] == chosen for w in workspaces):
        return chosen
    return workspaces[0]["id"] if workspaces else None


async def create_workspace(context: Any, name: str) -> Any:
    args = workspace_ops.CreateWorkspaceArgs(name=name)
    return await workspace_ops.create_workspace(args, context)


async def member_of(context: Any, workspace_id: str, minimum: str = "VIEWER") -> Any:
    """The caller's membership row, after membership, IP allowlist, session timeout and
    role checks (404 for a non-member, 403 for a weak role)."""
    return await access.member_of(context, workspace_id, minimum)


def role_name(value: Any) -> str:
    """``Role.ADMIN`` or ``"ADMIN"`` (or a membership row) as ``"ADMIN"``."""
    return access.role_name(getattr(value, "role", value))


ROLE_RANK = {role: rank for rank, role in enumerate(access.ROLES)}


def at_least(role: str, minimum: str) -> bool:
    """Whether ``role`` is ``minimum`` or stronger (to choose which controls to draw; the
    service checks again when the form is posted)."""
    return ROLE_RANK.get(role, 99) <= ROLE_RANK[minimum]


async def recent_audit(context: Any, workspace_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest audit events of a workspace, with the actor's address."""
    from sqlalchemy import select

    e, db = context.entities, context.session
    rows = (
        await db.execute(
            select(e.AuditLog, e.User.email)
            .outerjoin(e.User, e.User.id == e.AuditLog.userId)
            .where(e.AuditLog.workspaceId == workspace_id)
            .order_by(e.AuditLog.createdAt.desc(), e.AuditLog.id.desc())
            .limit(limit)
        )
    ).all()
    return [audit_event(row, email) for row, email in rows]


def audit_event(row: Any, actor_email: str | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.createdAt,
        "actor": actor_email,
        "action": role_name(row.action),
        "resource": getattr(row, "resource", None) or getattr(row, "target", None),
        "resource_id": getattr(row, "resourceId", None),
        "description": getattr(row, "description", None),
        "ip": getattr(row, "ip", None) or getattr(row, "ipAddress", None),
    }


# ------------------------------------------------------------------ notifications


async def unread_notifications(context: Any) -> int:
    from src.core.notifications import inbox

    memo = _memo(context)
    if "unread" not in memo:
        memo["unread"] = await inbox.unread_count(context)
    count: int = memo["unread"]
    return count

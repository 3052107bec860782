"""The calls SentinelIQ's pages make into the platform and notifications code.

Pages never decide who may do what: every function here hands over to the service the
operations use (membership, roles, rate limits, audit rows live there) and only shapes
its answer for a template.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam

from src.core.entities import model
from src.core.workspace import access, service
from src.core.workspace import operations as workspace_ops
from src.core.workspace.views import workspace_view


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
    """The signed-in user's workspaces with their role, newest first. The layout's
    unread count comes along as one more column of the same query (one round trip
    fewer on every page; a statement costs ~1 ms of server CPU, bench/sentineliq.py),
    except for a user with no workspace, whose count is read on its own."""
    memo = _memo(context)
    if "workspaces" not in memo:
        user = access.require_user(context)
        query = _layout_query(*(model(context, name) for name in LAYOUT_MODELS))
        rows = (await context.session.execute(query, {"user_id": user.id})).all()
        memo["workspaces"] = [workspace_view(ws, role) for ws, role, _ in rows]
        if rows:
            memo["unread"] = int(rows[0][2] or 0)
    workspaces: list[dict[str, Any]] = memo["workspaces"]
    return workspaces


LAYOUT_MODELS = ("Workspace", "WorkspaceMember", "Notification")


@functools.cache
def _layout_query(*models: Any) -> Any:
    """The layout's statement, built once per set of models: building it took ~0.5 ms,
    about what SQLAlchemy then spends sending it (the user is a bind parameter)."""
    from src.core.notifications import inbox

    entities = SimpleNamespace(**{m.__name__: m for m in models})
    context = SimpleNamespace(entities=entities)
    user_id = bindparam("user_id")
    unread = inbox.unread_count_query(context, user_id=user_id).scalar_subquery()
    return service.workspaces_query(context, user_id).add_columns(unread.label("unread"))


async def current_workspace(context: Any, workspaces: list[dict[str, Any]]) -> str | None:
    """The workspace the user works in (User.currentWorkspaceId while still a member),
    else the newest one they belong to."""
    if len(workspaces) <= 1:  # nothing to choose from: no query (most users)
        return workspaces[0]["id"] if workspaces else None
    memo = _memo(context)
    if "current" not in memo:
        memo["current"] = await access.current_workspace_id(context)
    chosen = memo["current"]
    if chosen is not None and any(w["id"] == chosen for w in workspaces):
        return chosen
    return workspaces[0]["id"] if workspaces else None


async def create_workspace(context: Any, name: str) -> dict[str, Any]:
    args = workspace_ops.CreateWorkspaceArgs(name=name)
    created: dict[str, Any] = await service.create_workspace(context, name=args.name)
    forget(context)
    return created


async def switch_workspace(context: Any, workspace_id: str) -> None:
    args = workspace_ops.WorkspaceRef(workspaceId=workspace_id)
    await service.switch_workspace(context, args.workspaceId)
    forget(context)


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
    """The newest audit events of a workspace (OWNER and ADMIN, as the audit log)."""
    from src.core.audit.service import AuditFilter, workspace_entries

    page = await workspace_entries(context, workspace_id, AuditFilter(), limit=limit)
    return [audit_entry(item) for item in page["items"]]


def audit_entry(item: dict[str, Any]) -> dict[str, Any]:
    """The platform's entry view as the templates read it."""
    at = item["createdAt"]
    return {
        "id": item["id"],
        "at": at,
        "at_iso": at.isoformat(),
        "at_text": at.strftime("%Y-%m-%d %H:%M:%S"),
        "actor": item["userEmail"],
        "action": item["action"],
        "resource": item["resource"],
        "resource_id": item["resourceId"],
        "description": item["description"],
        "ip": item["ipAddress"],
    }


# ------------------------------------------------------------------ notifications


async def unread_notifications(context: Any) -> int:
    from src.core.notifications import inbox

    memo = _memo(context)
    if "unread" not in memo:
        memo["unread"] = await inbox.unread_count(context)
    count: int = memo["unread"]
    return count

"""The platform administrators' view of workspaces (``User.isAdmin``): every workspace,
counts for the admin dashboard, suspension and quota overrides. Audited like the rest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from sentinel_spec.runtime import HttpError
from src.core.admin import require_admin
from src.core.audit.record import audit
from src.core.entities import model
from src.core.workspace.views import workspace_view


async def _count(context: Any, name: str, *where: Any) -> int:
    table = model(context, name)
    value = await context.session.scalar(select(func.count()).select_from(table).where(*where))
    return int(value or 0)


async def all_workspaces(
    context: Any, *, page: int, page_size: int, search: str | None, include_deleted: bool
) -> dict[str, Any]:
    require_admin(context)
    workspace, member = model(context, "Workspace"), model(context, "WorkspaceMember")
    where = [] if include_deleted else [workspace.deletedAt.is_(None)]
    if search:
        pattern = f"%{search.lower()}%"
        where.append(or_(func.lower(workspace.name).like(pattern), workspace.slug.like(pattern)))
    members = (
        select(func.count())
        .select_from(member)
        .where(member.workspaceId == workspace.id)
        .scalar_subquery()
    )
    total = await context.session.scalar(select(func.count()).select_from(workspace).where(*where))
    rows = await context.session.execute(
        select(workspace, members.label("members"))
        .where(*where)
        .order_by(workspace.createdAt.desc(), workspace.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return {
        "total": int(total or 0),
        "page": page,
        "pageSize": page_size,
        "items": [{**workspace_view(ws), "memberCount": int(n)} for ws, n in rows],
    }


async def workspace_count(context: Any) -> dict[str, int]:
    require_admin(context)
    workspace = model(context, "Workspace")
    return {
        "total": await _count(context, "Workspace", workspace.deletedAt.is_(None)),
        "active": await _count(
            context, "Workspace", workspace.deletedAt.is_(None), workspace.isActive.is_(True)
        ),
        "deleted": await _count(context, "Workspace", workspace.deletedAt.is_not(None)),
    }


async def system_log_count(context: Any) -> dict[str, Any]:
    require_admin(context)
    log = model(context, "SystemLog")
    rows = await context.session.execute(select(log.level, func.count()).group_by(log.level))
    by_level = {getattr(level, "name", str(level)): int(n) for level, n in rows}
    return {"total": sum(by_level.values()), "byLevel": by_level}


async def notification_count(context: Any) -> dict[str, int]:
    require_admin(context)
    return {"total": await _count(context, "Notification")}


async def contact_message_count(context: Any) -> dict[str, int]:
    require_admin(context)
    message = model(context, "ContactFormMessage")
    return {
        "total": await _count(context, "ContactFormMessage"),
        "unread": await _count(context, "ContactFormMessage", message.isRead.is_(False)),
    }


async def workspace_details(context: Any, workspace_id: str) -> dict[str, Any]:
    require_admin(context)
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    if ws is None:
        raise HttpError(404, "Workspace not found")
    member, user, log = (
        model(context, "WorkspaceMember"),
        model(context, "User"),
        model(context, "AuditLog"),
    )
    members = await context.session.execute(
        select(member.role, user.id, user.email)
        .join(user, user.id == member.userId)
        .where(member.workspaceId == workspace_id)
        .order_by(member.joinedAt)
    )
    recent = await context.session.scalars(
        select(log)
        .where(log.workspaceId == workspace_id)
        .order_by(log.createdAt.desc(), log.id.desc())
        .limit(20)
    )
    from src.core.audit.service import entry_view

    return {
        "workspace": workspace_view(ws),
        "members": [
            {"userId": uid, "email": email, "role": getattr(role, "name", role)}
            for role, uid, email in members
        ],
        "recentActivity": [entry_view(r) for r in recent],
    }


async def suspend_workspace(
    context: Any, workspace_id: str, *, suspended: bool, reason: str | None
) -> dict[str, Any]:
    require_admin(context)
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    if ws is None:
        raise HttpError(404, "Workspace not found")
    ws.isActive = not suspended
    await audit(
        context,
        workspace_id=workspace_id,
        action="ADMIN_SUSPEND_WORKSPACE",
        resource="workspace",
        resource_id=workspace_id,
        description=reason,
        metadata={"suspended": suspended},
    )
    return {"workspaceId": workspace_id, "isActive": ws.isActive}


async def update_quotas(context: Any, workspace_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    require_admin(context)
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    if ws is None:
        raise HttpError(404, "Workspace not found")
    before = {k: getattr(ws, k) for k in changes}
    for key, value in changes.items():
        setattr(ws, key, value)
    await audit(
        context,
        workspace_id=workspace_id,
        action="ADMIN_UPDATE_QUOTAS",
        resource="workspace",
        resource_id=workspace_id,
        metadata={"before": {k: _plain(v) for k, v in before.items()}, "after": changes},
    )
    await context.session.flush()
    await context.session.refresh(ws)
    return workspace_view(ws)


def _plain(value: Any) -> Any:
    return getattr(value, "name", value if not isinstance(value, int) else int(value))

"""A user's own notifications: list, count, mark read, delete. Every query is scoped
to ``context.user``; an id that is not the caller's answers 404, like a missing one."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select, update

from sentinel_spec.runtime import HttpError
from src.core.entities import model
from src.core.instants import Instant
from src.core.notifications.serialize import notification_json

NotificationType = Literal["INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"]


class NotificationFilter(BaseModel):
    workspaceId: str | None = Field(default=None, max_length=64)
    isRead: bool | None = None
    type: NotificationType | None = None
    startDate: Instant | None = None
    endDate: Instant | None = None
    limit: int = Field(default=50, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=100_000)


class NotificationRef(BaseModel):
    id: str = Field(min_length=1, max_length=64)


class WorkspaceScope(BaseModel):
    workspaceId: str | None = Field(default=None, max_length=64)


def require_user(context: Any) -> Any:
    if context.user is None:
        raise HttpError(401, "sign in first")
    return context.user


def _mine(context: Any, scope: WorkspaceScope | NotificationFilter | None = None) -> list[Any]:
    notification = model(context, "Notification")
    where = [notification.userId == require_user(context).id]
    if scope is not None and scope.workspaceId:
        where.append(notification.workspaceId == scope.workspaceId)
    return where


async def list_notifications(context: Any, args: NotificationFilter) -> dict[str, Any]:
    notification = model(context, "Notification")
    where = _mine(context, args)
    if args.isRead is not None:
        where.append(notification.isRead.is_(args.isRead))
    if args.type is not None:
        where.append(notification.type == args.type)
    if args.startDate is not None:
        where.append(notification.createdAt >= args.startDate)
    if args.endDate is not None:
        where.append(notification.createdAt <= args.endDate)
    session = context.session
    rows = (
        await session.scalars(
            select(notification)
            .where(*where)
            .order_by(notification.createdAt.desc(), notification.id)
            .limit(args.limit)
            .offset(args.offset)
        )
    ).all()
    total = await session.scalar(select(func.count()).select_from(notification).where(*where))
    return {
        "notifications": [notification_json(row) for row in rows],
        "total": int(total or 0),
        "hasMore": args.offset + len(rows) < int(total or 0),
    }


def unread_count_query(
    context: Any, workspace_id: str | None = None, *, user_id: Any = None
) -> Any:
    """``SELECT count(*)`` of the caller's unread notifications (a scalar query, also
    usable as a column of another one). ``user_id``: the caller's id by default, or a
    ``bindparam`` for a statement built once and reused."""
    notification = model(context, "Notification")
    if user_id is None:
        where = _mine(context, WorkspaceScope(workspaceId=workspace_id))
    else:
        where = [notification.userId == user_id]
        if workspace_id:
            where.append(notification.workspaceId == workspace_id)
    return (
        select(func.count()).select_from(notification).where(*where, notification.isRead.is_(False))
    )


async def unread_count(context: Any, workspace_id: str | None = None) -> int:
    count = await context.session.scalar(unread_count_query(context, workspace_id))
    return int(count or 0)


async def _publish_unread(context: Any) -> None:
    """Every open tab of the user updates its badge (after the commit)."""
    user = require_user(context)
    await context.realtime.publish(
        f"user:{user.id}", {"type": "unread_count", "count": await unread_count(context)}
    )


async def _own(context: Any, notification_id: str) -> Any:
    notification = model(context, "Notification")
    row = await context.session.scalar(
        select(notification).where(
            notification.id == notification_id, notification.userId == require_user(context).id
        )
    )
    if row is None:
        raise HttpError(404, "Notification not found")
    return row


async def mark_read(context: Any, notification_id: str) -> dict[str, Any]:
    row = await _own(context, notification_id)
    if not row.isRead:
        row.isRead = True
        row.readAt = datetime.datetime.now(datetime.UTC)
        await context.session.flush()
        await _publish_unread(context)
    return notification_json(row)


async def mark_all_read(context: Any, scope: WorkspaceScope) -> dict[str, int]:
    notification = model(context, "Notification")
    result = await context.session.execute(
        update(notification)
        .where(*_mine(context, scope), notification.isRead.is_(False))
        .values(isRead=True, readAt=datetime.datetime.now(datetime.UTC))
    )
    await _publish_unread(context)
    return {"updated": result.rowcount or 0}


async def delete_one(context: Any, notification_id: str) -> dict[str, bool]:
    row = await _own(context, notification_id)
    await context.session.delete(row)
    await context.session.flush()
    await _publish_unread(context)
    return {"success": True}


async def delete_all(context: Any, scope: WorkspaceScope) -> dict[str, int]:
    notification = model(context, "Notification")
    result = await context.session.execute(delete(notification).where(*_mine(context, scope)))
    await _publish_unread(context)
    return {"deleted": result.rowcount or 0}

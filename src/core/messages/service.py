"""Contact-form messages: any signed-in user writes to the team (5 an hour); platform
administrators read, mark and delete them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from sentinel_spec.runtime import HttpError
from src.core.admin import require_admin
from src.core.audit.record import audit
from src.core.entities import model
from src.core.workspace.access import require_user


def message_view(message: Any, email: str | None = None) -> dict[str, Any]:
    return {
        "id": message.id,
        "userId": message.userId,
        "userEmail": email,
        "content": message.content,
        "isRead": message.isRead,
        "repliedAt": message.repliedAt,
        "createdAt": message.createdAt,
    }


async def send_message(context: Any, content: str) -> dict[str, Any]:
    user = require_user(context)
    text = content.strip()
    if not text:
        raise HttpError(
            400,
            "content must not be blank",
            [{"field": "content", "message": "blank"}],
            code="validation_error",
        )
    await context.rate_limit("contactMessage")
    message = model(context, "ContactFormMessage")(userId=user.id, content=text)
    context.session.add(message)
    await context.session.flush()
    await audit(
        context,
        workspace_id=None,
        action="MESSAGE_SENT",
        resource="message",
        resource_id=message.id,
    )
    await context.session.refresh(message)
    return message_view(message, user.email)


async def list_messages(
    context: Any, *, page: int, page_size: int, unread_only: bool
) -> dict[str, Any]:
    require_admin(context)
    message, user = model(context, "ContactFormMessage"), model(context, "User")
    where = [message.isRead.is_(False)] if unread_only else []
    total = await context.session.scalar(select(func.count()).select_from(message).where(*where))
    rows = await context.session.execute(
        select(message, user.email)
        .join(user, user.id == message.userId)
        .where(*where)
        .order_by(message.createdAt.desc(), message.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return {
        "total": int(total or 0),
        "page": page,
        "pageSize": page_size,
        "items": [message_view(m, e) for m, e in rows],
    }


async def _message(context: Any, message_id: str) -> Any:
    found = await context.session.get(model(context, "ContactFormMessage"), message_id)
    if found is None:
        raise HttpError(404, "Message not found")
    return found


async def mark_read(context: Any, message_id: str, is_read: bool) -> dict[str, Any]:
    require_admin(context)
    found = await _message(context, message_id)
    found.isRead = is_read
    await audit(
        context,
        workspace_id=None,
        action="MESSAGE_UPDATED",
        resource="message",
        resource_id=message_id,
        metadata={"isRead": is_read},
    )
    return message_view(found)


async def mark_replied(context: Any, message_id: str) -> dict[str, Any]:
    require_admin(context)
    found = await _message(context, message_id)
    found.repliedAt = dt.datetime.now(dt.UTC)
    found.isRead = True
    await audit(
        context,
        workspace_id=None,
        action="MESSAGE_UPDATED",
        resource="message",
        resource_id=message_id,
        metadata={"replied": True},
    )
    return message_view(found)


async def delete_message(context: Any, message_id: str) -> dict[str, Any]:
    require_admin(context)
    found = await _message(context, message_id)
    await context.session.delete(found)
    await audit(
        context,
        workspace_id=None,
        action="MESSAGE_DELETED",
        resource="message",
        resource_id=message_id,
    )
    return {"deleted": message_id}

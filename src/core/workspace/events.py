"""Workspace events on the notification bus (src/core/notifications/bus.py): members
invited, joined, removed, role changed, ownership transferred, workspace deleted. The bus
writes in the caller's session, so a change that rolls back notifies nobody."""

from __future__ import annotations

from typing import Any


async def publish(
    context: Any,
    event_type: str,
    *,
    workspace_id: str,
    title: str,
    message: str,
    data: dict[str, Any] | None = None,
    user_ids: list[str] | None = None,
    severity: str = "INFO",
    link: str | None = None,
) -> None:
    from src.core.notifications.bus import emit

    await emit(
        context,
        event_type,
        workspace_id=workspace_id,
        title=title,
        message=message,
        data=data,
        severity=severity,
        user_ids=user_ids,
        link=link,
    )

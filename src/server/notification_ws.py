"""websocket notifications: a user's live notifications.

The runtime subscribes every signed-in socket to its own ``user:<id>`` channel, where
the notification bus publishes ``{"type": "notification", ...}`` and the inbox
publishes ``{"type": "unread_count", ...}``. On connect the socket gets a hello with
the current unread count, so a badge is right before the first event arrives."""

from __future__ import annotations

from typing import Any

from src.core.notifications.inbox import unread_count


async def notifications_socket(websocket: Any, context: Any) -> None:
    await websocket.send_json({"type": "hello", "unread": await unread_count(context)})

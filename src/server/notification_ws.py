"""websocket notifications: pushes a user's notifications as they are published."""

from __future__ import annotations

from typing import Any


async def notifications_socket(websocket: Any, context: Any) -> None:
    await websocket.send_json({"type": "hello"})

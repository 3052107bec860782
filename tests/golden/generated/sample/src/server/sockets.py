from __future__ import annotations

from typing import Any


async def notifications_socket(websocket: Any, context: Any) -> None:
    await websocket.accept()
    await websocket.send_json({"hello": "world"})
    await websocket.close()

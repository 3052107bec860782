"""app.webSocket: Socket.IO connection handler for upload progress."""

from __future__ import annotations

from typing import Any


async def on_socket_connect(socket: Any, context: Any) -> None:
    await socket.emit("ready", {"maxUploadBytes": 50 * 1024 * 1024})

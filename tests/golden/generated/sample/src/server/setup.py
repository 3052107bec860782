"""Server set-up: records that it ran, and adds one header through the middleware stack."""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SETUP_CALLS: list[Any] = []


async def setup_server(app: Any) -> None:
    SETUP_CALLS.append(app)


class HeaderMiddleware:
    """Adds ``name: value`` to every response it wraps."""

    def __init__(self, app: ASGIApp, name: str, value: str) -> None:
        self.app = app
        self.header = (name.lower().encode(), value.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, send_with_header)


def server_middleware(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack["sample"] = Middleware(HeaderMiddleware, name="X-Sample", value="server")
    return stack

"""An ``ALL`` api with a path parameter and its own middleware stack."""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware

from src.server.setup import HeaderMiddleware


async def handler(request: Any, context: Any) -> dict[str, str]:
    return {"method": request.method, "itemId": request.path_params["itemId"]}


def echo_middleware(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack["echo"] = Middleware(HeaderMiddleware, name="X-Echo", value="api")
    return stack

"""``X-Request-ID``: accept a sane incoming id or make one, and expose it everywhere."""

from __future__ import annotations

import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.errors import exception_response
from sentinel_spec.runtime.middleware.headers import add_response_headers, request_header
from sentinel_spec.runtime.observability.request_id import reset_request_id, set_request_id

REQUEST_ID_HEADER = "x-request-id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


class RequestIdMiddleware:
    """Accept a sane incoming ``X-Request-ID`` or make one; expose it everywhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = request_header(scope, b"x-request-id")
        if incoming is not None and _SANE_REQUEST_ID.fullmatch(incoming):
            request_id = incoming
        else:
            request_id = os.urandom(16).hex()  # a random 128-bit id, like uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        id_header = [(b"x-request-id", request_id.encode("latin-1"))]
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                add_response_headers(message, id_header)
            await send(message)

        token = set_request_id(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            # An error escaping the layers inside (a user's middleware, say) still gets the
            # JSON error carrying this request's id, and the headers of the layers outside.
            if scope["type"] != "http" or started:
                raise
            response = exception_response(error, f"{scope['method']} {scope['path']}")
            await response(scope, receive, send_with_id)
        finally:
            reset_request_id(token)

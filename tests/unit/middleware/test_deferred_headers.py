"""Layers that queue their response headers with the request context (instead of wrapping
``send``) produce the same response head as the chain of wrappers did."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.middleware.cors import CorsMiddleware
from sentinel_spec.runtime.middleware.security_headers import SecurityHeadersMiddleware
from sentinel_spec.runtime.observability.request import RequestContextMiddleware


class WrapSend:
    """A user's layer that wraps ``send``: the layers inside it must wrap theirs too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.wrapped = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def passing(message: Message) -> None:
            self.wrapped += 1
            await send(message)

        await self.app(scope, receive, passing)


class AddHeaders:
    """An inner layer of the old kind (wraps send), like the RateLimit headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def adding(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"ratelimit", b"limit=5")]
            await send(message)

        await self.app(scope, receive, adding)


async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["path"] == "/boom":
        raise RuntimeError("boom")
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"x-frame-options", b"SAMEORIGIN"),  # the response's own value wins
                (b"access-control-allow-origin", b"http://evil.example"),  # CORS replaces
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"{}"})


def stack(wrap_outside: bool) -> tuple[ASGIApp, WrapSend | None]:
    inner: ASGIApp = SecurityHeadersMiddleware(
        CorsMiddleware(AddHeaders(endpoint), origins=["http://client.example"])
    )
    wrapper = WrapSend(inner) if wrap_outside else None
    return RequestContextMiddleware(wrapper or inner, fallback_headers=[(b"x-fb", b"1")]), wrapper


async def head_of(app: ASGIApp, path: str) -> tuple[int, list[tuple[bytes, bytes]]]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "scheme": "http",
        "headers": [(b"origin", b"http://client.example"), (b"x-request-id", b"req-1")],
        "client": ("127.0.0.1", 1),
    }
    await app(scope, receive, send)
    start = sent[0]
    return start["status"], list(start["headers"])


@pytest.mark.parametrize("path", ["/ok", "/boom"])
async def test_deferred_headers_equal_the_chain_of_wrappers(path: str) -> None:
    deferred, _ = stack(wrap_outside=False)
    wrapped, wrapper = stack(wrap_outside=True)
    assert await head_of(deferred, path) == await head_of(wrapped, path)
    assert wrapper is not None and wrapper.wrapped == (path == "/ok") * 2  # the old path ran


async def test_the_deferred_head() -> None:
    app, _ = stack(wrap_outside=False)
    status, headers = await head_of(app, "/ok")
    names = [name for name, _ in headers]
    assert status == 200
    assert dict(headers)[b"x-frame-options"] == b"SAMEORIGIN"
    assert dict(headers)[b"access-control-allow-origin"] == b"http://client.example"
    assert names.count(b"access-control-allow-origin") == 1
    assert dict(headers)[b"ratelimit"] == b"limit=5"
    assert b"content-security-policy" in names and names[-1] == b"x-request-id"
    status, headers = await head_of(app, "/boom")
    names = [name for name, _ in headers]
    # The error went through the layers: none of theirs, the fallback headers instead.
    assert status == 500 and b"x-fb" in names
    assert b"access-control-allow-origin" not in names and b"ratelimit" not in names

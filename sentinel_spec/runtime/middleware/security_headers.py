"""RUNTIME.md's security headers on every response."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.middleware.deferred import IF_ABSENT, defer
from sentinel_spec.runtime.middleware.headers import add_response_headers

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": DEFAULT_CSP,
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def security_header_items(
    overrides: Mapping[str, str | None] | None = None,
) -> list[tuple[bytes, bytes]]:
    """The raw header list: the defaults, with ``overrides`` replacing (a value) or
    removing (``None``) one."""
    headers: dict[str, str | None] = {**SECURITY_HEADERS, **(overrides or {})}
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in headers.items()
        if value is not None
    ]


class SecurityHeadersMiddleware:
    """RUNTIME.md's security headers on every response; a response's own value wins."""

    def __init__(self, app: ASGIApp, overrides: Mapping[str, str | None] | None = None) -> None:
        self.app = app
        self.raw = security_header_items(overrides)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or defer(scope, send, IF_ABSENT, self.raw):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_response_headers(message, self.raw)
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""CORS from ``app.server.cors.origins``: listed origins pass, others get 403."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.errors import error_response
from sentinel_spec.runtime.middleware.deferred import REPLACE, defer
from sentinel_spec.runtime.middleware.headers import request_header

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl
    from sentinel_spec.runtime.settings import Settings

log = logging.getLogger("sentinel.cors")

# What this middleware sets on an answer (a response's own value of these is replaced).
CORS_NAMES = frozenset(
    {
        b"access-control-allow-origin",
        b"access-control-allow-credentials",
        b"access-control-expose-headers",
    }
)

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_DEFAULT_HEADERS = "Authorization, Content-Type, X-Request-ID"


def origins_for(decl: AppDecl, settings: Settings) -> tuple[str, ...]:
    """The origins of the running environment (``SENTINEL_ENV``, default development).

    With one list per environment and none for this one, no cross-origin request passes
    (same-origin ones always do), and start-up says so once.
    """
    if not decl.cors_origins_by_env:
        return parse_origins(settings.resolve(decl.cors_origins))
    environment = settings.get("SENTINEL_ENV") or "development"
    if environment not in decl.cors_origins_by_env:
        log.warning(
            "cors: no origins for environment %r (the spec lists %s); "
            "only same-origin requests pass",
            environment,
            ", ".join(sorted(decl.cors_origins_by_env)),
        )
        return ()
    return parse_origins(settings.resolve(decl.cors_origins_by_env[environment]))


def parse_origins(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"a, b"`` or a sequence of origins -> normalised tuple (no trailing slash)."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(o.strip().rstrip("/") for o in items if o.strip())


class CorsMiddleware:
    """Allow listed origins (``*`` = any); answer preflights; refuse others with 403.

    A request whose Origin is the server's own (same-origin POST) always passes.
    """

    def __init__(
        self,
        app: ASGIApp,
        origins: str | Iterable[str] | None = (),
        allow_credentials: bool = True,
        max_age: int = 600,
    ) -> None:
        self.app = app
        self.origins = frozenset(parse_origins(origins))
        self.allow_any = "*" in self.origins
        self.allow_credentials = allow_credentials
        self.max_age = max_age
        self._answers: dict[str, tuple[tuple[bytes, bytes], ...]] = {}

    def allows(self, origin: str, scope: Scope) -> bool:
        if self.allow_any or origin.rstrip("/") in self.origins:
            return True
        host = Headers(scope=scope).get("host")
        return host is not None and origin == f"{scope.get('scheme', 'http')}://{host}"

    def base_headers(self, origin: str) -> dict[str, str]:
        """The CORS headers an allowed ``origin`` gets (a preflight adds its own)."""
        if self.allow_any and origin.rstrip("/") not in self.origins - {"*"}:
            # Any site may read, none with the user's cookies: credentials need a listed origin.
            return {"Access-Control-Allow-Origin": "*"}
        cors_headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        if self.allow_credentials:
            cors_headers["Access-Control-Allow-Credentials"] = "true"
        return cors_headers

    def response_headers(self, origin: str) -> tuple[tuple[bytes, bytes], ...]:
        """The raw headers an allowed ``origin``'s answer carries, in place of the
        response's own CORS ones; cached per origin (clients send a handful)."""
        extra = self._answers.get(origin)
        if extra is None:
            items = [
                (k.lower().encode("latin-1"), v.encode("latin-1"))
                for k, v in self.base_headers(origin).items()
            ]
            # Several Vary lines are one list in HTTP: the response's own Vary stays.
            items.append((b"access-control-expose-headers", b"X-Request-ID"))
            extra = tuple(items)
            if len(self._answers) < 256:  # bounded: the values come from clients
                self._answers[origin] = extra
        return extra

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = request_header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if not self.allows(origin, scope):
            response = error_response(403, "forbidden", f"Origin {origin} is not allowed")
            await response(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "access-control-request-method" in headers:
                await self._preflight(scope, receive, send, headers, self.base_headers(origin))
                return

        extra = self.response_headers(origin)
        if defer(scope, send, REPLACE, extra, CORS_NAMES):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0] not in CORS_NAMES]
                headers.extend(extra)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers, base: dict[str, str]
    ) -> None:
        from starlette.responses import Response

        requested = headers.get("access-control-request-headers")
        response = Response(
            status_code=204,
            headers={
                **base,
                "Access-Control-Allow-Methods": CORS_METHODS,
                "Access-Control-Allow-Headers": requested or CORS_DEFAULT_HEADERS,
                "Access-Control-Max-Age": str(self.max_age),
            },
        )
        await response(scope, receive, send)

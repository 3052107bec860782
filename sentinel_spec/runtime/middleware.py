"""The always-on HTTP middleware and the configurable stack (Wasp's middlewareConfigFn).

Each class is pure ASGI (``__init__(app, ...)`` + ``async __call__(scope, receive, send)``).
The stack is an ordered ``dict[str, Middleware]``; ``AppDecl.middleware_config_fn`` may
change it for the whole server, ``ApiNamespace``/``Api.middleware_config_fn`` for the
routes under a path / one api. A route's stack *replaces* the server's (so a webhook
can drop or loosen a limit); ``MiddlewareDispatcher`` picks the stack per request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.declarations import Api, AppDecl, BodyLimits
from sentinel_spec.runtime.errors import HttpError, error_response, exception_response
from sentinel_spec.runtime.observability import reset_request_id, set_request_id

MiddlewareStack = dict[str, Middleware]
ScopeMatcher = Callable[[Scope], bool]

REQUEST_ID_HEADER = "x-request-id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


# These run on every request: they read and extend the raw ASGI header lists directly
# (names are lowercase bytes) rather than building Headers/MutableHeaders objects.
def request_header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def add_response_headers(message: Message, extra: Sequence[tuple[bytes, bytes]]) -> None:
    """Append ``extra`` to an ``http.response.start`` message, keeping headers it has."""
    headers = list(message.get("headers", ()))
    present = {key.lower() for key, _ in headers}
    headers.extend(item for item in extra if item[0] not in present)
    message["headers"] = headers


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


class SecurityHeadersMiddleware:
    """RUNTIME.md's security headers on every response; a response's own value wins."""

    def __init__(self, app: ASGIApp, overrides: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.headers = {**SECURITY_HEADERS, **(overrides or {})}
        self.raw = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in self.headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_response_headers(message, self.raw)
            await send(message)

        await self.app(scope, receive, send_with_headers)


CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_DEFAULT_HEADERS = "Authorization, Content-Type, X-Request-ID"


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

    def allows(self, origin: str, scope: Scope) -> bool:
        if self.allow_any or origin.rstrip("/") in self.origins:
            return True
        host = Headers(scope=scope).get("host")
        return host is not None and origin == f"{scope.get('scheme', 'http')}://{host}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = request_header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not self.allows(origin, scope):
            response = error_response(403, "forbidden", f"Origin {origin} is not allowed")
            await response(scope, receive, send)
            return
        if self.allow_any and origin.rstrip("/") not in self.origins - {"*"}:
            # Any site may read, none with the user's cookies: credentials need a listed origin.
            cors_headers = {"Access-Control-Allow-Origin": "*"}
        else:
            cors_headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
            if self.allow_credentials:
                cors_headers["Access-Control-Allow-Credentials"] = "true"
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, headers, cors_headers)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in cors_headers.items():
                    if name == "Vary":
                        response_headers.add_vary_header(value)
                    else:
                        response_headers[name] = value
                response_headers["Access-Control-Expose-Headers"] = "X-Request-ID"
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


class PayloadTooLarge(HttpError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body is larger than {limit} bytes", {"limit": limit})


def limit_for(content_type: str | None, limits: BodyLimits) -> int:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    # A body without a Content-Type is read as JSON by operations: it gets JSON's limit.
    if not media or media == "application/json" or media.endswith("+json"):
        return limits.json_bytes
    if media == "application/x-www-form-urlencoded":
        return limits.form_bytes
    return limits.raw_bytes  # multipart, octet-stream, anything else


class BodyLimitMiddleware:
    """413 as soon as a body exceeds its content type's limit: by Content-Length before
    the app runs, or, for chunked bodies, while the chunks arrive."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(request_header(scope, b"content-type"), self.limits)
        declared = request_header(scope, b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                await _send_error(PayloadTooLarge(limit), scope, receive, send)
            else:
                # The server delivers no more than Content-Length: nothing to count.
                await self.app(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLarge as error:
            # Raised through a route that did not turn it into a response itself.
            if not started:
                await _send_error(error, scope, receive, send)


async def _send_error(error: HttpError, scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(error.status, error.code, error.message, error.data)
    await response(scope, receive, send)


def default_middleware(decl: AppDecl, cors_origins: tuple[str, ...]) -> MiddlewareStack:
    """The server's stack before ``middleware_config_fn``; outermost first."""
    return {
        # Outermost, so that even the error answers of the layers inside carry the headers.
        "securityHeaders": Middleware(SecurityHeadersMiddleware),
        "requestId": Middleware(RequestIdMiddleware),
        "cors": Middleware(CorsMiddleware, origins=cors_origins),
        "bodyLimit": Middleware(BodyLimitMiddleware, limits=decl.body_limits),
    }


def apply_config_fn(
    fn: Callable[..., Any] | None, stack: MiddlewareStack, owner: str
) -> MiddlewareStack:
    """Call a user ``middleware_config_fn`` on a copy of ``stack``; check what it returns."""
    if fn is None:
        return stack
    result = fn(dict(stack))
    if not isinstance(result, dict) or not all(isinstance(m, Middleware) for m in result.values()):
        raise TypeError(
            f"the middlewareConfigFn of {owner} must return a dict of name -> "
            f"starlette.middleware.Middleware, got {type(result).__name__}"
        )
    return result


def path_prefix_matcher(prefix: str) -> ScopeMatcher:
    base = prefix.rstrip("/")

    def matches(scope: Scope) -> bool:
        path: str = scope["path"]
        return path == base or path.startswith(base + "/")

    return matches


def api_matcher(api: Api) -> ScopeMatcher:
    regex, _, _ = compile_path(api.path)
    methods = (
        None
        if api.method == "ALL"
        else {api.method, "HEAD"}
        if api.method == "GET"
        else {api.method}
    )

    def matches(scope: Scope) -> bool:
        if scope["type"] != "http" or regex.match(scope["path"]) is None:
            return False
        # A CORS preflight for this api must see the api's own stack too.
        return methods is None or scope["method"] in methods or scope["method"] == "OPTIONS"

    return matches


def scoped_stacks(
    decl: AppDecl, server_stack: MiddlewareStack
) -> list[tuple[ScopeMatcher, MiddlewareStack]]:
    """(matcher, stack) for every api and namespace with its own config; most specific first."""
    namespaces = sorted(decl.api_namespaces, key=lambda ns: len(ns.path))  # outer first

    def stack_under(path: str) -> MiddlewareStack:
        stack = server_stack
        for ns in namespaces:
            if path_prefix_matcher(ns.path)({"path": path}):
                stack = apply_config_fn(ns.middleware_config_fn, stack, f"apiNamespace `{ns.name}`")
        return stack

    scoped: list[tuple[ScopeMatcher, MiddlewareStack]] = []
    for api in decl.apis:
        if api.middleware_config_fn is None:
            continue
        stack = apply_config_fn(
            api.middleware_config_fn, stack_under(api.path), f"api `{api.name}`"
        )
        scoped.append((api_matcher(api), stack))
    for ns in reversed(namespaces):  # deepest namespace first
        scoped.append((path_prefix_matcher(ns.path), stack_under(ns.path)))
    return scoped


def build_stack(app: ASGIApp, stack: Sequence[Middleware]) -> ASGIApp:
    for cls, args, kwargs in reversed(stack):
        app = cls(app, *args, **kwargs)
    return app


class MiddlewareDispatcher:
    """Runs each request through the stack of the most specific scope that matches it."""

    def __init__(
        self,
        app: ASGIApp,
        server_stack: MiddlewareStack,
        scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]] = (),
    ) -> None:
        self.default = build_stack(app, list(server_stack.values()))
        self.scoped = [(matches, build_stack(app, list(s.values()))) for matches, s in scoped]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            for matches, stack in self.scoped:
                if matches(scope):
                    await stack(scope, receive, send)
                    return
        await self.default(scope, receive, send)

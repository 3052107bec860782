"""The default stack fused into one ASGI callable, for the operation routes.

A constant operation spent most of its server time passing through layers: Starlette's
error layer, trusted proxies, the request context, security headers, CORS, the rate
limit, body limits, Starlette's exception layer, the router's linear match and
``request_response``, each a coroutine and most wrapping ``send``. When the app's stack
is the one start-up made (same names, same order, the very ``Middleware`` entries: a
``middlewareConfigFn`` that returns it unchanged keeps it; nothing added outside it, no
Sentry), ``FusedOperations`` answers a request for an operation's exact path itself, in
one coroutine, from the same middleware objects: the trusted-proxy rewrite (uvicorn's
own layer, called only when the request has X-Forwarded-* headers), the request id and
context, CORS refusal, the rate limit, body limits, the operation, the response headers
in the order the layers add them, the access line. Under the guarded protocol the whole
answer goes to its cycle in one call (``_GuardedCycle.respond``: no ASGI messages, the
security headers rendered once into one block); any other server gets the messages.

Everything else goes through the composed stack, unchanged: other routes, a method the
route does not take, preflights, websockets, paths a scoped stack (``apiNamespace`` /
``api`` config) covers, any customised stack. ``tests/integration/http/test_fused_stack.py``
sends the same requests to both and compares status, headers, body and log lines.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.errors import (
    HttpError,
    error_response,
    exception_response,
    http_error_response,
)
from sentinel_spec.runtime.middleware.body_limit import (
    BodyLimitMiddleware,
    PayloadTooLarge,
    counting,
)
from sentinel_spec.runtime.middleware.cors import CORS_NAMES, CorsMiddleware
from sentinel_spec.runtime.middleware.proxies import client_ip, rate_limit_ip_key
from sentinel_spec.runtime.middleware.security_headers import SecurityHeadersMiddleware
from sentinel_spec.runtime.middleware.stack import MiddlewareStack, ScopeMatcher
from sentinel_spec.runtime.observability import context as request_context
from sentinel_spec.runtime.observability.request import (
    SANE_REQUEST_ID,
    RequestContextMiddleware,
    access_logger,
    new_request_id,
)
from sentinel_spec.runtime.ratelimit.enforce import enforce, enforce_in_process_raw, raw
from sentinel_spec.runtime.serving.protocol import HeadLines, _GuardedCycle, render_lines

RawHeaders = list[tuple[bytes, bytes]]
Headers = Sequence[tuple[bytes, bytes]]
Endpoint = Callable[[Request], Awaitable[Response]]

_plain_call = Response.__call__


class FusionPlan:
    """What start-up found fusable; ``build`` makes the app's stack at its first call."""

    def __init__(
        self,
        middleware: Sequence[Middleware],
        outer: Sequence[Middleware],
        stack: MiddlewareStack,
        scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]],
    ) -> None:
        self.middleware = list(middleware)  # what Starlette was given, to compare at build
        self.outer = list(outer)
        self.stack = stack
        self.scoped = list(scoped)

    def build(
        self, user_middleware: Sequence[Middleware], router: Router, composed: ASGIApp
    ) -> ASGIApp:
        """``composed`` (Starlette's own stack) behind the fused operations, or alone when
        the middleware changed since start-up (``app.add_middleware``) or nothing fuses."""
        if len(user_middleware) != len(self.middleware) or any(
            a is not b for a, b in zip(user_middleware, self.middleware, strict=True)
        ):
            return composed
        endpoints = fusable_routes(router, self.scoped)
        handlers = _exception_handlers(composed)
        if not endpoints or handlers is None:
            return composed
        return FusedOperations(composed, router, endpoints, handlers, self.outer, self.stack)


def fusion_plan(
    middleware: Sequence[Middleware],
    outer: Sequence[Middleware],
    default: MiddlewareStack,
    server_stack: MiddlewareStack,
    scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]],
) -> FusionPlan | None:
    """A plan when the server's stack is ``default`` (the builder's, entry for entry),
    that is the default stack, and the outer layers are trusted proxies and the request
    context alone; None otherwise (the composed stack then serves everything)."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    outer_classes: list[Any] = [m.cls for m in outer]
    if outer_classes != [ProxyHeadersMiddleware, RequestContextMiddleware]:
        return None
    if list(server_stack) != list(default) or any(
        server_stack[name] is not entry for name, entry in default.items()
    ):
        return None
    limited = "rateLimit" in default
    expected = [(n, cls) for n, cls in _default_classes() if limited or n != "rateLimit"]
    found: list[tuple[str, Any]] = [(name, entry.cls) for name, entry in default.items()]
    if found != expected:
        return None
    return FusionPlan(middleware, outer, server_stack, scoped)


def _default_classes() -> list[tuple[str, type]]:
    """The default stack, outermost first ("rateLimit" only with a server-wide default)."""
    from sentinel_spec.runtime.ratelimit.middleware import RateLimitMiddleware

    return [
        ("securityHeaders", SecurityHeadersMiddleware),
        ("cors", CorsMiddleware),
        ("rateLimit", RateLimitMiddleware),
        ("bodyLimit", BodyLimitMiddleware),
    ]


def fusable_routes(
    router: Router, scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]]
) -> dict[str, tuple[Route, frozenset[str]]]:
    """path -> (route, methods) of the operation routes the router would pick for their
    exact path (no earlier route matches it first) and no scoped stack covers."""
    from sentinel_spec.runtime.http.operations import OperationRoute

    routes = router.routes
    found: dict[str, tuple[Route, frozenset[str]]] = {}
    for index, route in enumerate(routes):
        if type(route) is not OperationRoute or route.param_convertors or not route.methods:
            continue
        methods = set()
        for method in route.methods - {"OPTIONS"}:
            probe: Scope = {
                "type": "http",
                "path": route.path,
                "root_path": "",
                "method": method,
                "headers": [],
                "query_string": b"",
            }
            if any(matches(probe) for matches, _ in scoped):
                continue
            # The router takes the first route that matches in full: none before this one.
            if not any(r.matches(probe)[0] is Match.FULL for r in routes[:index]):
                methods.add(method)
        if methods and route.path not in found:
            found[route.path] = (route, frozenset(methods))
    return found


def _exception_handlers(app: Any) -> tuple[Any, Any] | None:
    """What Starlette's ExceptionMiddleware puts in each request's scope (user code may
    read it), found by walking the composed stack."""
    seen = 0
    while app is not None and seen < 64:
        if isinstance(app, ExceptionMiddleware):
            return (app._exception_handlers, app._status_handlers)
        app = getattr(app, "app", None)
        seen += 1
    return None


async def _rewritten(scope: Scope, receive: Receive, send: Send) -> None:
    """What the trusted-proxy layer calls once it has rewritten the scope: nothing."""


async def _unreachable(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("the fused stack's middleware objects are not called as ASGI apps")


def _instance(entry: Middleware, app: ASGIApp = _unreachable) -> Any:
    return entry.cls(app, *entry.args, **entry.kwargs)


class FusedOperations:
    """Starlette's middleware stack for an app with the default one: operations answered
    here, every other request by ``composed``."""

    def __init__(
        self,
        composed: ASGIApp,
        router: Router,
        endpoints: dict[str, tuple[Route, frozenset[str]]],
        exception_handlers: tuple[Any, Any],
        outer: Sequence[Middleware],
        stack: MiddlewareStack,
    ) -> None:
        self.composed = composed
        self.router = router
        self.endpoints = endpoints
        self.exception_handlers = exception_handlers
        # uvicorn's trusted-proxy layer: its rewrite of ``client`` and ``scheme``,
        # unchanged, run on the request's scope first when it has X-Forwarded-* headers
        # (without them the layer changes nothing, and is not called).
        self.proxy = _instance(outer[0], _rewritten)
        context: RequestContextMiddleware = _instance(outer[1])
        self.fallback_headers = context.fallback_headers
        security: SecurityHeadersMiddleware = _instance(stack["securityHeaders"])
        self.security = tuple(security.raw)
        self.security_names = frozenset(name for name, _ in security.raw)
        # Checked and rendered once, as uvicorn would render them on every response; None
        # (each line rendered per response, uvicorn's errors then) if that fails.
        self.security_block: HeadLines | None
        try:
            self.security_block = render_lines(self.security)
        except (RuntimeError, ValueError):
            self.security_block = None
        self.cors: CorsMiddleware = _instance(stack["cors"])
        self.rate_limit: Any = _instance(stack["rateLimit"]) if "rateLimit" in stack else None
        self.body_limit: BodyLimitMiddleware = _instance(stack["bodyLimit"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            entry = self.endpoints.get(scope["path"])
            if entry is not None and scope["method"] in entry[1]:
                await self._serve(scope, receive, send)
                return
        await self.composed(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        # One pass over the request's headers for what the layers read (each its first).
        origin = content_type = declared = incoming = None
        forwarded = False
        for key, value in scope["headers"]:
            if key == b"content-length":
                if declared is None:
                    declared = value
            elif key == b"content-type":
                if content_type is None:
                    content_type = value
            elif key == b"origin":
                if origin is None:
                    origin = value
            elif key == b"x-request-id":
                if incoming is None:
                    incoming = value
            elif key == b"x-forwarded-for" or key == b"x-forwarded-proto":
                forwarded = True
        if forwarded:
            await self.proxy(scope, receive, send)  # the trusted-proxy rewrite
        # The request context: RequestContextMiddleware's steps, in its order.
        request_id: str | None = None
        if incoming is not None:
            text = incoming.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(text):
                request_id = text
        if request_id is None:
            request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_context.begin(request_id)
        id_header = (b"x-request-id", request_id.encode("latin-1"))
        started = time.perf_counter()
        status = 0
        # The client's address once, for the rate limit's key and the access line.
        client = scope.get("client")
        known = (client, client_ip(scope))
        try:
            response, limit_headers, cors_headers = await self._respond(
                scope,
                receive,
                send,
                known[1],
                None if origin is None else origin.decode("latin-1"),
                None if content_type is None else content_type.decode("latin-1"),
                None if declared is None else declared.decode("latin-1"),
            )
            if type(response).__call__ is _plain_call:
                status = response.status_code
                cycle = getattr(send, "__self__", None)
                # The guarded protocol's cycle takes the whole response in one call (no
                # ASGI messages), the constant lines pre-rendered; any other server (or a
                # cycle that needs uvicorn's own send) gets the two messages.
                direct = False
                if type(cycle) is _GuardedCycle:
                    head = self._head(
                        response.raw_headers, limit_headers, cors_headers, self.security_block
                    )
                    # A request id is sane (SANE_REQUEST_ID or hex): nothing to check.
                    head.append(HeadLines(b"x-request-id: " + id_header[1] + b"\r\n"))
                    direct = cycle.respond(status, head, response.body)
                if not direct:
                    headers = self._head(response.raw_headers, limit_headers, cors_headers)
                    headers.append(id_header)
                    await send(
                        {"type": "http.response.start", "status": status, "headers": headers}
                    )
                    await send({"type": "http.response.body", "body": response.body})
                if response.background is not None:
                    await response.background()
            else:  # a response that sends itself (streaming): its head completed on the way

                async def send_head(message: Message) -> None:
                    nonlocal status
                    if message["type"] == "http.response.start":
                        status = message["status"]
                        head = self._head(message.get("headers", ()), limit_headers, cors_headers)
                        head.append(id_header)
                        message["headers"] = head
                    await send(message)

                await response(scope, receive, send_head)
        except Exception as error:
            if status:
                raise
            # As the request context answers an error that escaped the layers: the JSON
            # error with the fallback security headers (theirs were never added).
            answer = exception_response(error, f"{scope['method']} {scope['path']}")
            present = dict(answer.raw_headers)
            answer.raw_headers.extend(h for h in self.fallback_headers if h[0] not in present)
            status = answer.status_code
            headers = [*answer.raw_headers, id_header]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": answer.body})
        finally:
            if access_logger.isEnabledFor(logging.INFO):
                RequestContextMiddleware._log(scope, status, time.perf_counter() - started, known)
            request_context.end(token)

    async def _respond(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        ip: str,
        origin: str | None,
        content_type: str | None,
        declared: str | None,
    ) -> tuple[Response, Headers | None, Headers | None]:
        """The answer and the headers the rate limit and CORS add to it: the layers inside
        the request context, in their order."""
        cors_headers: Headers | None = None
        if origin is not None:
            cors = self.cors
            if not cors.allows(origin, scope):
                return (
                    error_response(403, "forbidden", f"Origin {origin} is not allowed"),
                    None,
                    None,
                )
            cors_headers = cors.response_headers(origin)
        limit_headers: Headers | None = None
        limiter = self.rate_limit
        if limiter is not None and scope["path"] not in limiter.exempt:
            try:
                key = "ip:" + rate_limit_ip_key(ip)  # ip_key(scope)
                limit_headers = enforce_in_process_raw(
                    limiter.limiter, limiter.name, limiter.rule, key
                )
                if limit_headers is None:  # shared storage: awaited
                    counted = await enforce(limiter.limiter, limiter.name, limiter.rule, key)
                    # Empty: storage down, failing open, nothing known to report.
                    limit_headers = raw(counted) if counted else None
            except HttpError as error:
                return http_error_response(error), None, cors_headers
            if not limit_headers:
                limit_headers = None
        body_limit = self.body_limit
        limit = body_limit.overrides.get(scope["path"]) or body_limit._limit_for(content_type)
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                too_large = PayloadTooLarge(limit)
                answer = error_response(
                    too_large.status,
                    too_large.code,
                    too_large.message,
                    too_large.data,
                    headers=too_large.headers,
                )
                return answer, limit_headers, cors_headers
        else:
            receive = counting(receive, limit)
        endpoint = self._route(scope)
        return await endpoint(Request(scope, receive, send)), limit_headers, cors_headers

    def _route(self, scope: Scope) -> Endpoint:
        """What the router, the route and Starlette's exception layer put in the scope."""
        route = self.endpoints[scope["path"]][0]
        if "router" not in scope:
            scope["router"] = self.router
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = {}
        scope["starlette.exception_handlers"] = self.exception_handlers
        endpoint: Endpoint = route.endpoint
        return endpoint

    def _head(
        self,
        own: Headers,
        limit_headers: Headers | None,
        cors_headers: Headers | None,
        security_block: HeadLines | None = None,
    ) -> list[Any]:
        """The response's headers with the layers' added, innermost layer first, as their
        ``send`` wrappers (and ``deferred.apply_pending``) add them. With
        ``security_block`` (for ``_GuardedCycle.respond`` only): the security headers as
        that one pre-rendered block when all of them are added."""
        headers: list[Any] = list(own)
        if limit_headers is not None:
            headers.extend(limit_headers)
        if cors_headers is not None:
            headers = [h for h in headers if h[0] not in CORS_NAMES]
            headers.extend(cors_headers)
        present = {key.lower() for key, _ in headers}
        if present.isdisjoint(self.security_names):
            if security_block is not None:
                headers.append(security_block)
            else:
                headers.extend(self.security)
        else:
            headers.extend(item for item in self.security if item[0] not in present)
        return headers

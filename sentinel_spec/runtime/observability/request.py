"""``RequestContextMiddleware``: the fixed outer layer every request passes through.

It opens the request's context (``request_context``: a sane incoming ``X-Request-ID``
kept, else a random 128-bit id), sends ``X-Request-ID`` back, answers any exception that
escapes the layers inside with the JSON error (carrying the security headers, since the
layer that adds them may be the one that failed), and writes the access log line with
ECS fields and the duration. One layer for all of it: each ASGI layer costs a few µs.

It is not an entry of the configurable stack: a route's ``middlewareConfigFn`` may drop
CORS or a limit, never its request id or its log line.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.runtime.errors import CLIENT_CLOSED, exception_response
from sentinel_spec.runtime.middleware.deferred import apply_pending, open_pending
from sentinel_spec.runtime.middleware.proxies import client_ip
from sentinel_spec.runtime.observability import context as request_context
from sentinel_spec.runtime.observability.ecs import EcsFormatter
from sentinel_spec.runtime.observability.logging import LineBatchHandler

ACCESS = "sentinel.access"
access_logger = logging.getLogger(ACCESS)

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


# New ids: a random 64-bit prefix per process and a counter, 32 hex digits like uuid4().hex;
# unique across processes and restarts without a system call per request.
_ID_PREFIX = os.urandom(8).hex()
_counter = itertools.count(int.from_bytes(os.urandom(4)))


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_counter) & 0xFFFFFFFFFFFFFFFF:016x}"


def request_id_of(scope: Scope) -> str:
    for key, value in scope["headers"]:
        if key == b"x-request-id":
            incoming: str = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(incoming):
                return incoming
            break
    return new_request_id()


def _user_agent(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"user-agent":
            agent: str = value.decode("latin-1")
            return agent[:512]
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, fallback_headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
        self.app = app
        self.fallback_headers = list(fallback_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_context.begin(request_id)
        id_header = (b"x-request-id", request_id.encode("latin-1"))
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", ())]
                if pending:
                    apply_pending(headers, pending)
                headers.append(id_header)
                message["headers"] = headers
            await send(message)

        # The layers inside queue their response headers here rather than wrap send.
        pending = open_pending(scope, send_with_id) if kind == "http" else []
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            if kind != "http" or status:
                raise
            # The layers that queued headers did not see this answer (the error went
            # through them): theirs are not added, the fallback security headers are.
            pending.clear()
            response = exception_response(error, f"{scope['method']} {scope['path']}")
            response.raw_headers.extend(
                h for h in self.fallback_headers if h[0] not in dict(response.raw_headers)
            )
            await response(scope, receive, send_with_id)
        finally:
            if kind == "http" and access_logger.isEnabledFor(logging.INFO):
                self._log(scope, status, time.perf_counter() - started)
            request_context.end(token)

    @staticmethod
    def _log(
        scope: Scope,
        status: int,
        seconds: float,
        known: tuple[object, str] | None = None,
    ) -> None:
        """The access line. ``known``: ``(scope["client"], its client_ip)`` as a caller
        already found it (the fused stack), used while the scope's client is still that
        very one."""
        if not status:
            status = CLIENT_CLOSED
        method = scope["method"]
        path = scope["path"]
        route = scope.get("route")
        ip = known[1] if known is not None and scope.get("client") is known[0] else None
        if ip is None:
            ip = client_ip(scope)
        fields = {
            "event.dataset": "sentinel.access",
            "http.request.method": method,
            "url.path": path,
            "http.route": getattr(route, "path", None),
            "http.response.status_code": status,
            "event.duration": int(seconds * 1e9),  # ECS: nanoseconds
            "client.ip": ip,
            "user_agent.original": _user_agent(scope),
        }
        handler = _direct_handler()
        if handler is not None:
            formatter: EcsFormatter = handler.formatter  # type: ignore[assignment]
            message = f"{method} {path} {status}"
            line = formatter.format_fields(time.time(), "info", message, ACCESS, fields)
            handler.emit_line(line, logging.INFO)
            return
        access_logger.info("%s %s %s", method, path, status, extra=fields)


def _direct_handler() -> LineBatchHandler | None:
    """The handler an access line would reach, when making a ``LogRecord`` for it changes
    nothing: the record would pass no filter, reach exactly one handler, a production
    ``LineBatchHandler`` with the ECS formatter itself (not a subclass), and be formatted
    into the line ``EcsFormatter.format_fields`` writes. Anything else (a test's caplog,
    the Logstash shipper, dev's readable lines) takes ``Logger.info``. Checked on every
    line, so a logging reconfiguration takes effect at once; about a microsecond."""
    if logging.root.manager.disable >= logging.INFO:
        return None
    found: logging.Handler | None = None
    logger: logging.Logger | None = access_logger
    if access_logger.disabled:
        return None
    while logger is not None:
        if logger.filters:
            return None
        for handler in logger.handlers:
            if found is not None:
                return None
            found = handler
        if not logger.propagate:
            break
        logger = logger.parent
    if (
        type(found) is not LineBatchHandler
        or found.filters
        or found.level > logging.INFO
        or type(found.formatter) is not EcsFormatter
    ):
        return None
    return found

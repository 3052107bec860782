"""``GuardedHttpToolsProtocol``: uvicorn's httptools protocol with ``server.limits``.

What it adds, per connection (see ``contract.server.ServerLimits`` for the numbers):

- a new connection that sends nothing is closed after ``idle_timeout`` (uvicorn arms its
  keep-alive timer only after a first response);
- a request head (request line + headers) must be complete within ``headers_timeout`` of
  its first byte, and within ``max_url_bytes`` / ``max_header_bytes`` / ``max_headers``:
  408, 414 or 431 otherwise. Bytes are counted as they arrive, so a 256 MB header is
  refused after its first tens of kilobytes instead of being buffered by the parser;
- a body may pause at most ``body_timeout`` between two reads and must be complete
  within ``request_timeout`` of the request's first byte: 408. The clocks stop while the
  app itself is not reading (flow control paused the socket): slowness of the app is
  not the client's fault;
- when the response is complete while the request body is still arriving (a 413, a 401
  before the body was read) the connection is closed rather than read to the end;
- a request the parser refuses (bad method, Content-Length with Transfer-Encoding, a bad
  chunk size, a malformed header...) gets the JSON 400 of RUNTIME.md instead of uvicorn's
  plain text. Every such answer carries ``Connection: close``, ``X-Request-ID`` and the
  security headers, and is logged as a warning with the client's address.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

from sentinel_spec.contract.server import ServerLimits

log = logging.getLogger("sentinel.server")

_SETTINGS: tuple[ServerLimits, list[tuple[bytes, bytes]]] | None = None


def settings() -> tuple[ServerLimits, list[tuple[bytes, bytes]]]:
    """This process's limits and headers (read once from ``SENTINEL_SERVING``)."""
    global _SETTINGS
    if _SETTINGS is None:
        from sentinel_spec.runtime.serving import read_serving_settings

        _SETTINGS = read_serving_settings()
    return _SETTINGS


class _Refuse(Exception):
    """Raised inside a parser callback to refuse the request with this answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


IDLE, HEAD, BODY, DONE = "idle", "head", "body", "done"
# After refusing: how long and how much of the rest of the request is read and dropped.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1 << 20


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits, self.error_headers = settings()
        self._phase = IDLE
        self._timer: asyncio.TimerHandle | None = None
        self._request_started = 0.0
        self._head_bytes = 0
        self._read_size = 0
        self._refused = False
        self._discard_budget = 0
        self._total_deadline = False

    # ------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.idle_timeout, self._idle_expired)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._discard(len(data))
            return
        self._unset_keepalive_if_required()
        self._read_size = len(data)
        if self._phase in (IDLE, DONE):
            self._disarm()  # the idle clock stops at the first byte of a request
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._disarm()
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as error:
            refusal = error.__context__
            if isinstance(refusal, _Refuse):
                self.refuse(refusal.status, refusal.code, refusal.message)
            else:
                self.refuse(400, "bad_request", f"Invalid HTTP request: {_reason(error)}")
            return
        phase = self._phase
        if phase == HEAD:
            # Counted as they arrive: a huge header is refused after its first kilobytes
            # instead of being buffered whole by the parser.
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_url_bytes + self.limits.max_header_bytes:
                self._refuse_head()
                return
            if self._timer is None:  # armed only once a head spans more than one read
                self._arm(self._left(self.limits.headers_timeout), self._head_expired)
        elif phase == BODY:
            self._arm_body_clock()
        # A request that arrived whole in this read armed no clock at all.

    # ------------------------------------------------------------ parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase = HEAD
        self._request_started = time.monotonic()
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        limits = self.limits
        if len(self.url) > limits.max_url_bytes:
            limit = limits.max_url_bytes
            raise _Refuse(414, "uri_too_long", f"The request target is longer than {limit} bytes")
        headers = self.headers
        if len(headers) > limits.max_headers:
            raise _Refuse(
                431,
                "request_header_fields_too_large",
                f"More than {limits.max_headers} header lines",
            )
        # The head so far is at most what arrived: when that fits, so do the headers
        # (most requests come in one read), and they need not be added up.
        if self._head_bytes + self._read_size > limits.max_header_bytes and (
            sum(len(name) + len(value) for name, value in headers) > limits.max_header_bytes
        ):
            raise _Refuse(
                431,
                "request_header_fields_too_large",
                f"The headers are larger than {limits.max_header_bytes} bytes",
            )
        self._phase = BODY
        self._disarm()  # the head clock; data_received arms the body clock if needed
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None and not isinstance(cycle.transport, _CycleTransport):
            # uvicorn closes the transport itself after a `Connection: close` answer;
            # route that close through _close_after_answer so it lingers when needed.
            # It also writes a response's head and body separately: joined here.
            cycle.transport = _CycleTransport(self, cycle)  # type: ignore[assignment]
            # uvicorn makes the cycle itself (and its task has not run yet): given the
            # head rendering of _GuardedCycle, the rest of it unchanged.
            if type(cycle) is RequestResponseCycle:
                cycle.__class__ = _GuardedCycle

    def on_message_complete(self) -> None:
        self._phase = DONE
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        self._flush_head()
        if self._phase in (HEAD, BODY) and not self.transport.is_closing():
            # The answer is out while the request is still arriving (a 413, a 401 that
            # never read the body): stop here instead of reading the rest to discard it.
            self._refused = True
            self._disarm()
            self._linger()
            return
        super().on_response_complete()

    def handle_websocket_upgrade(self) -> None:
        self._disarm()
        super().handle_websocket_upgrade()

    # ------------------------------------------------------------ refusing

    def send_400_response(self, msg: str) -> None:
        """uvicorn's own 400 (it calls this for parser errors): JSON instead of text."""
        self.refuse(400, "bad_request", msg)

    def refuse(self, status: int, code: str, message: str) -> None:
        """Answer ``status`` with the JSON error (unless the app already started a
        response), then close the connection."""
        if self._refused:
            return
        self._refused = True
        self._disarm()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        log.warning("refused a request from %s: %s %s", client, status, message)
        self._flush_head()
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(self._error_bytes(status, code, message))
        if cycle is not None:
            cycle.disconnected = True  # the app's receive() now says http.disconnect
            cycle.message_event.set()
        self._linger()

    def _linger(self) -> None:
        """Close after the answer, the way nginx does: stop writing, then read and drop
        what the client is still sending (bounded) so that closing does not reset the
        connection under the answer before the client has read it."""
        self._discard_budget = LINGER_BYTES
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.flow.resume_reading()
        self.loop.call_later(LINGER_SECONDS, self._close_now)

    def _close_after_answer(self) -> None:
        if self._phase in (HEAD, BODY) and not self._refused:
            self._refused = True
            self._disarm()
            self._linger()
        else:
            self._close_now()

    def _discard(self, size: int) -> None:
        self._discard_budget -= size
        if self._discard_budget <= 0:
            self._close_now()

    def _flush_head(self) -> None:
        """Write a response head still held back, before anything else goes out."""
        cycle = self.cycle
        transport = cycle.transport if cycle is not None else None
        if isinstance(transport, _CycleTransport):
            transport.flush()

    def _close_now(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def _error_bytes(self, status: int, code: str, message: str) -> bytes:
        from sentinel_spec.runtime.errors import error_body

        request_id = os.urandom(16).hex()
        body = error_body(status, code, message, None, request_id)
        head = [STATUS_LINE[status]]
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
            (b"x-request-id", request_id.encode("ascii")),
            *self.error_headers,
        ]
        head.extend(name + b": " + value + b"\r\n" for name, value in headers)
        head.append(b"\r\n")
        return b"".join(head) + body

    def _refuse_head(self) -> None:
        if len(self.url) >= self.limits.max_url_bytes:
            self.refuse(414, "uri_too_long", "The request target is too long")
        else:
            self.refuse(
                431,
                "request_header_fields_too_large",
                f"The request head is larger than "
                f"{self.limits.max_url_bytes + self.limits.max_header_bytes} bytes",
            )

    # ------------------------------------------------------------ clocks

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _left(self, seconds: float) -> float:
        """What is left of ``seconds`` counted from the request's first byte."""
        return max(0.0, seconds - (time.monotonic() - self._request_started))

    def _arm_body_clock(self) -> None:
        left = self.limits.request_timeout - (time.monotonic() - self._request_started)
        # Which deadline comes first decides the message (timers may fire a hair early).
        self._total_deadline = left <= self.limits.body_timeout
        self._arm(max(0.0, min(self.limits.body_timeout, left)), self._body_expired)

    def _idle_expired(self) -> None:
        self._timer = None
        if self._phase in (IDLE, DONE) and not self.transport.is_closing():
            self.transport.close()

    def _head_expired(self) -> None:
        self._timer = None
        if self._phase == HEAD:
            self.refuse(
                408,
                "request_timeout",
                f"The request head did not arrive within {self.limits.headers_timeout:g} s",
            )

    def _body_expired(self) -> None:
        self._timer = None
        if self._phase != BODY:
            return
        if self.flow.read_paused:
            # The app is not reading: the client is waiting on us, not the other way round.
            self._timer = self.loop.call_later(self.limits.body_timeout, self._body_expired)
            return
        what = (
            f"The request did not arrive within {self.limits.request_timeout:g} s"
            if self._total_deadline
            else f"The request body paused for more than {self.limits.body_timeout:g} s"
        )
        self.refuse(408, "request_timeout", what)


# Rendered response-header lines, by (name, value) as the app sent them: most of a
# response's headers (security headers, content type, server) are the same on every
# response, and uvicorn checks each line with two regular expressions and lower-cases
# it on every response (about 1 µs a line; 15 lines on an operation's answer). Bounded:
# values that vary (request ids, dates) are cleared out with the rest when it fills;
# the names below vary on every response and are never kept (they would only churn it).
_LINES: dict[tuple[bytes, bytes], bytes] = {}
_MAX_LINES = 1024
_NEVER_KEPT = frozenset({b"x-request-id", b"ratelimit", b"date"})


class HeadLines(bytes):
    """Response-header lines already checked and rendered the way uvicorn renders them
    (``render_lines``), for ``_GuardedCycle`` to append as they are: a constant block
    (the security headers) costs one append instead of a check per line. Never holds a
    framing header (Content-Length, Transfer-Encoding, Connection): those set the
    cycle's state."""

    __slots__ = ()


_FRAMING = frozenset({b"content-length", b"transfer-encoding", b"connection"})


def render_lines(headers: Sequence[tuple[bytes, bytes]]) -> HeadLines:
    """``headers`` rendered and checked as uvicorn's ``send`` does it (the same errors
    for a bad name or value), once, into one block."""
    lines = []
    for name, value in headers:
        if HEADER_RE.search(name):
            raise RuntimeError("Invalid HTTP header name.")
        if HEADER_VALUE_RE.search(value):
            raise RuntimeError("Invalid HTTP header value.")
        name = name.lower()
        if name in _FRAMING:
            raise ValueError(f"a framing header cannot be pre-rendered: {name!r}")
        lines.append(name + b": " + value + b"\r\n")
    return HeadLines(b"".join(lines))


class _GuardedCycle(RequestResponseCycle):
    """uvicorn's request/response cycle with a cheaper response head: each header line
    checked and rendered once (``_LINES``), then reused; ``HeadLines`` blocks appended
    as they are. Everything else, the body and every unusual case (uvicorn's access log
    on, flow control paused, a disconnected client, a second start) is uvicorn's own
    ``send``. The head is byte for byte uvicorn's: same checks, same lower-cased names,
    same framing decisions. ``respond`` sends a whole response without ASGI messages."""

    async def send(self, message: Any) -> None:
        if (
            message["type"] != "http.response.start"
            or self.response_started
            or self.disconnected
            or self.access_log
            or self.flow.write_paused
        ):
            await super().send(message)
            return
        head = self._render_head(message["status"], message.get("headers", ()))
        self.transport.write(b"".join(head))

    def respond(self, status: int, headers: Sequence[Any], body: bytes | memoryview) -> bool:
        """A whole response at once, what ``send`` of its ``http.response.start`` and of
        one ``http.response.body`` (no ``more_body``) would do, in one call: the same
        bytes (head and body in one write, as ``_CycleTransport`` joins them), the same
        cycle state, the same errors, ``on_response`` called the same way. ``headers``
        may hold ``HeadLines``. False, having done nothing, when the messages must go
        through ``send`` instead (the cases it hands to uvicorn's own)."""
        transport: Any = self.transport
        if (
            self.response_started
            or self.disconnected
            or self.access_log
            or self.flow.write_paused
            or type(transport) is not _CycleTransport
        ):
            return False
        content: list[Any] = self._render_head(status, headers)
        # The body, as uvicorn's send writes it.
        if self.scope["method"] == "HEAD":
            self.expected_content_length = 0
        elif self.chunked_encoding:
            if body:
                content += (b"%x\r\n" % len(body), body, b"\r\n")
            content.append(b"0\r\n\r\n")
        else:
            size = len(body)
            if size > self.expected_content_length:
                transport.write(b"".join(content))  # the head went out before the error
                raise RuntimeError("Response content longer than Content-Length")
            self.expected_content_length -= size
            content.append(body)
        transport.write_whole(b"".join(content))
        if self.expected_content_length != 0:
            raise RuntimeError("Response content shorter than Content-Length")
        self.response_complete = True
        self.message_event.set()
        if not self.keep_alive:
            transport.close()
        self.on_response()
        return True

    def _render_head(self, status_code: int, headers: Any) -> list[bytes]:
        """The response head's parts, the cycle's framing state set from its headers."""
        self.response_started = True
        self.waiting_for_100_continue = False
        content = [STATUS_LINE[status_code]]
        has_connection_close = False
        lines = _LINES
        for header in (*self.default_headers, *headers):
            kind = type(header)
            if kind is HeadLines:
                content.append(header)
                continue
            line = lines.get(header) if kind is tuple else None
            if line is not None:
                content.append(line)
                continue
            name, value = header
            if name == b"content-length" and value.isdigit():
                # The commonest line that varies: nothing in it for the checks to refuse.
                content.append(b"content-length: " + value + b"\r\n")
                if self.chunked_encoding is None:
                    self.expected_content_length = int(value)
                    self.chunked_encoding = False
                continue
            if HEADER_RE.search(name):
                raise RuntimeError("Invalid HTTP header name.")
            if HEADER_VALUE_RE.search(value):
                raise RuntimeError("Invalid HTTP header value.")
            name = name.lower()
            line = name + b": " + value + b"\r\n"
            content.append(line)
            # The framing headers decide the cycle's state: never served from the cache.
            if name == b"content-length":
                if self.chunked_encoding is None:
                    self.expected_content_length = int(value.decode())
                    self.chunked_encoding = False
            elif name == b"transfer-encoding":
                if value.lower() == b"chunked":
                    self.expected_content_length = 0
                    self.chunked_encoding = True
            elif name == b"connection":
                connection = [token.lower().strip() for token in value.split(b",")]
                if b"close" in connection:
                    self.keep_alive = False
                    has_connection_close = True
            elif kind is tuple and name not in _NEVER_KEPT:
                if len(lines) >= _MAX_LINES:
                    lines.clear()
                lines[header] = line
        if not self.keep_alive and not has_connection_close:
            content.append(b"connection: close\r\n")
        if (
            self.chunked_encoding is None
            and self.scope["method"] != "HEAD"
            and status_code not in (204, 304)
        ):
            # Neither Content-Length nor Transfer-Encoding: the body is sent chunked.
            self.chunked_encoding = True
            content.append(b"transfer-encoding: chunked\r\n")
        content.append(b"\r\n")
        return content


class _CycleTransport:
    """The transport as a request's cycle sees it: ``close`` lingers while the request
    is still arriving, and the response's head leaves with the first bytes of its body
    in one ``send()`` (uvicorn writes them separately: a system call per response saved,
    about a tenth of a constant operation's time in the profile). A head is never held
    past the current turn of the event loop, so a streamed response that waits before
    its first chunk still sends its head at once. Everything else is the real transport.
    """

    __slots__ = ("_cycle", "_head", "_head_seen", "_protocol", "_transport")

    def __init__(self, protocol: GuardedHttpToolsProtocol, cycle: Any) -> None:
        self._protocol = protocol
        self._transport = protocol.transport
        self._cycle = cycle
        self._head: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head + data)
        elif not self._head_seen and self._cycle.response_started:
            # The first write once the response has started is its head (a "100
            # Continue" is written before that, and must not wait).
            self._head_seen = True
            self._head = data
            self._protocol.loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def write_whole(self, data: bytes) -> None:
        """A whole response (``_GuardedCycle.respond``): head and body already joined."""
        self._head_seen = True
        self._transport.write(data)

    def flush(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            if not self._transport.is_closing():
                self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._protocol._close_after_answer()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _reason(error: Exception) -> str:
    """The parser's reason, printable and short (it never echoes the request itself)."""
    text = str(error) or type(error).__name__
    return "".join(c for c in text if 0x20 <= ord(c) < 0x7F)[:200]

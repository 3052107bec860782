"""The guarded protocol's cycle renders a response head from cached header lines: the
bytes it writes, and the framing state it leaves (content length, chunked, keep-alive),
must be uvicorn's own for every head, the second time (from the cache) as the first."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

from sentinel_spec.runtime.serving import protocol
from sentinel_spec.runtime.serving.protocol import _GuardedCycle


class Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        self.writes.append(b"<closed>")


class Flow:
    write_paused = False


def cycle(cls: type[RequestResponseCycle], method: str, keep_alive: bool) -> Any:
    return cls(
        scope={"method": method},  # type: ignore[typeddict-item]
        transport=Transport(),  # type: ignore[arg-type]
        flow=Flow(),  # type: ignore[arg-type]
        logger=logging.getLogger("test"),
        access_logger=logging.getLogger("test.access"),
        access_log=False,
        default_headers=[(b"server", b"uvicorn"), (b"date", b"Tue, 01 Dec 2026 10:00:00 GMT")],
        message_event=asyncio.Event(),
        expect_100_continue=True,
        keep_alive=keep_alive,
        on_response=lambda: None,
    )


HEADS: list[tuple[str, int, list[Any]]] = [
    ("POST", 200, [(b"content-length", b"4"), (b"content-type", b"application/json")]),
    ("POST", 200, [(b"Content-Length", b"4"), (b"X-Frame-Options", b"DENY")]),
    ("GET", 200, [(b"content-type", b"text/plain")]),  # no length: chunked
    ("HEAD", 200, [(b"content-type", b"text/plain")]),  # HEAD: not chunked
    ("POST", 204, [(b"x-request-id", b"abc")]),
    ("POST", 304, []),
    ("POST", 200, [(b"transfer-encoding", b"Chunked"), (b"x-a", b"1")]),
    ("POST", 200, [(b"transfer-encoding", b"gzip"), (b"content-length", b"0")]),
    ("POST", 413, [(b"Connection", b"keep-alive, Close"), (b"content-length", b"2")]),
    ("POST", 200, [[b"content-length", b"2"], [b"x-list", b"pairs"]]),  # ASGI allows lists
    ("POST", 200, [(b"content-length", b"2"), (b"content-length", b"3")]),  # the first wins
]


def state(c: Any) -> tuple[Any, ...]:
    return (
        c.transport.writes,
        c.response_started,
        c.waiting_for_100_continue,
        c.chunked_encoding,
        c.expected_content_length,
        c.keep_alive,
    )


@pytest.mark.parametrize("keep_alive", [True, False])
@pytest.mark.parametrize(("method", "status", "headers"), HEADS)
async def test_the_head_is_uvicorns(
    method: str, status: int, headers: list[Any], keep_alive: bool
) -> None:
    for _ in range(2):  # the second time every cacheable line comes from the cache
        theirs = cycle(RequestResponseCycle, method, keep_alive)
        ours = cycle(_GuardedCycle, method, keep_alive)
        for c in (theirs, ours):
            message = {"type": "http.response.start", "status": status, "headers": headers}
            await c.send(message)
        assert state(ours) == state(theirs)


@pytest.mark.parametrize(
    "header", [(b"bad name", b"x"), (b"x-ok", b"line\nbreak"), (b"x-ok", b"nul\x00")]
)
async def test_invalid_headers_are_refused_like_uvicorn(header: tuple[bytes, bytes]) -> None:
    for cls in (RequestResponseCycle, _GuardedCycle):
        c = cycle(cls, "GET", True)
        with pytest.raises(RuntimeError, match="Invalid HTTP header"):
            await c.send({"type": "http.response.start", "status": 200, "headers": [header]})
        assert c.transport.writes == []


async def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "_LINES", {})
    for i in range(protocol._MAX_LINES + 10):
        c = cycle(_GuardedCycle, "GET", True)
        await c.send(
            {"type": "http.response.start", "status": 204, "headers": [(b"x-id", b"%d" % i)]}
        )
    assert len(protocol._LINES) <= protocol._MAX_LINES
    # Framing headers never come from the cache: the state they set is per response.
    assert not any(name.lower() == b"content-length" for name, _ in protocol._LINES)


async def test_the_body_and_the_rest_are_uvicorns_send() -> None:
    c = cycle(_GuardedCycle, "POST", True)
    await c.send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await c.send({"type": "http.response.body", "body": b"ok"})
    assert c.transport.writes[-1] == b"ok"
    assert c.response_complete
    with pytest.raises(RuntimeError, match="after response already completed"):
        await c.send({"type": "http.response.body", "body": b""})


# ------------------------------------------------------------ the whole response at once


def guarded_cycle(method: str, keep_alive: bool) -> Any:
    """A _GuardedCycle on a real _CycleTransport (``respond`` requires one); a close
    lands in its transport's writes, as with uvicorn's cycle."""
    from types import SimpleNamespace

    ours = cycle(_GuardedCycle, method, keep_alive)
    real = ours.transport
    completed: list[bool] = []
    host = SimpleNamespace(
        transport=real, loop=asyncio.get_running_loop(), _close_after_answer=lambda: real.close()
    )
    ours.transport = protocol._CycleTransport(host, ours)  # type: ignore[arg-type]
    ours.on_response = lambda: completed.append(True)
    ours.real, ours.completed = real, completed
    return ours


def uvicorn_writes(c: Any) -> bytes:
    return b"".join(w for w in c.transport.writes if w != b"<closed>")


BODIES: list[tuple[str, int, list[Any], bytes]] = [
    (method, status, headers, b"ok" if status not in (204, 304) else b"")
    for method, status, headers in HEADS
    if not any(n.lower() == b"content-length" for n, _ in headers)  # those: lengths below
] + [
    ("POST", 200, [(b"content-length", b"2"), (b"content-type", b"application/json")], b"ok"),
    ("HEAD", 200, [(b"content-length", b"2")], b"ok"),
    ("POST", 200, [(b"Content-Length", b"2"), (b"X-Frame-Options", b"DENY")], b"ok"),
    ("POST", 200, [(b"content-length", b"0")], b""),
    ("POST", 200, [(b"transfer-encoding", b"chunked")], b"data"),
    ("POST", 200, [(b"connection", b"close"), (b"content-length", b"2")], b"ok"),
]


@pytest.mark.parametrize("keep_alive", [True, False])
@pytest.mark.parametrize(("method", "status", "headers", "body"), BODIES)
async def test_respond_is_uvicorns_start_and_body(
    method: str, status: int, headers: list[Any], body: bytes, keep_alive: bool
) -> None:
    for _ in range(2):  # the second time from the cache
        theirs = cycle(RequestResponseCycle, method, keep_alive)
        await theirs.send({"type": "http.response.start", "status": status, "headers": headers})
        await theirs.send({"type": "http.response.body", "body": body})
        ours = guarded_cycle(method, keep_alive)
        assert ours.respond(status, headers, body) is True
        # One write of the same bytes; closed when uvicorn closes; the same state.
        assert b"".join(ours.real.writes).replace(b"<closed>", b"") == uvicorn_writes(theirs)
        assert len([w for w in ours.real.writes if w != b"<closed>"]) == 1
        assert (b"<closed>" in ours.real.writes) == (b"<closed>" in theirs.transport.writes)
        assert ours.response_complete and ours.completed == [True]
        assert ours.message_event.is_set()
        for name in ("chunked_encoding", "expected_content_length", "keep_alive"):
            assert getattr(ours, name) == getattr(theirs, name), name


async def test_respond_takes_head_lines_and_renders_them_as_uvicorn() -> None:
    security = [(b"X-Frame-Options", b"DENY"), (b"x-content-type-options", b"nosniff")]
    block = protocol.render_lines(security)
    headers = [(b"content-length", b"2"), *security]
    theirs = cycle(RequestResponseCycle, "POST", True)
    await theirs.send({"type": "http.response.start", "status": 200, "headers": headers})
    await theirs.send({"type": "http.response.body", "body": b"ok"})
    ours = guarded_cycle("POST", True)
    assert ours.respond(200, [(b"content-length", b"2"), block], b"ok")
    assert ours.real.writes == [uvicorn_writes(theirs)]


def test_head_lines_are_checked_like_uvicorn() -> None:
    with pytest.raises(RuntimeError, match="Invalid HTTP header value"):
        protocol.render_lines([(b"x-ok", b"line\nbreak")])
    with pytest.raises(RuntimeError, match="Invalid HTTP header name"):
        protocol.render_lines([(b"bad name", b"x")])
    for framing in (b"Content-Length", b"transfer-encoding", b"connection"):
        with pytest.raises(ValueError, match="framing"):
            protocol.render_lines([(framing, b"1")])


async def test_respond_hands_unusual_cases_to_send() -> None:
    started = guarded_cycle("POST", True)
    started.response_started = True
    gone = guarded_cycle("POST", True)
    gone.disconnected = True
    plain = cycle(_GuardedCycle, "POST", True)  # not on the cycle transport
    for c in (started, gone, plain):
        assert c.respond(200, [(b"content-length", b"2")], b"ok") is False
        assert not c.response_complete
    assert started.real.writes == gone.real.writes == [] and plain.transport.writes == []


async def test_respond_raises_uvicorns_length_errors() -> None:
    longer = guarded_cycle("POST", True)
    with pytest.raises(RuntimeError, match="longer than Content-Length"):
        longer.respond(200, [(b"content-length", b"1")], b"ok")
    assert not longer.response_complete
    longer.transport.flush()  # the head went out, as uvicorn's send writes it first
    assert longer.real.writes == [
        b"HTTP/1.1 200 OK\r\nserver: uvicorn\r\n"
        b"date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
        b"content-length: 1\r\n\r\n"
    ]
    shorter = guarded_cycle("POST", True)
    with pytest.raises(RuntimeError, match="shorter than Content-Length"):
        shorter.respond(200, [(b"content-length", b"3")], b"ok")
    assert not shorter.response_complete

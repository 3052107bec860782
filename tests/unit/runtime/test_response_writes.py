"""The guarded protocol's cycle transport: a response's head leaves with its body in one
write, never later than the current turn of the event loop, and a "100 Continue" is
never held back."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from sentinel_spec.runtime.serving.protocol import _CycleTransport


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        assert not self.closing
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else None


def transport_for(loop: asyncio.AbstractEventLoop) -> tuple[_CycleTransport, Any, Any]:
    real = RecordingTransport()
    closed: list[bool] = []
    protocol = SimpleNamespace(
        transport=real, loop=loop, _close_after_answer=lambda: closed.append(True)
    )
    cycle = SimpleNamespace(response_started=False)
    return _CycleTransport(protocol, cycle), real, (cycle, closed)  # type: ignore[arg-type]


async def test_head_and_body_leave_in_one_write() -> None:
    transport, real, (cycle, _) = transport_for(asyncio.get_running_loop())
    cycle.response_started = True
    transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
    assert real.writes == []  # held for the body
    transport.write(b'"ok"')
    assert real.writes == [b'HTTP/1.1 200 OK\r\n\r\n"ok"']
    await asyncio.sleep(0)  # the scheduled flush finds nothing left
    assert len(real.writes) == 1


async def test_a_head_without_body_yet_goes_out_on_the_next_turn() -> None:
    transport, real, (cycle, _) = transport_for(asyncio.get_running_loop())
    cycle.response_started = True
    transport.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
    await asyncio.sleep(0)  # a streamed response still waiting for its first chunk
    assert real.writes == [b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"]
    transport.write(b"4\r\ndata\r\n")  # later chunks are written as they come
    assert real.writes[-1] == b"4\r\ndata\r\n"


async def test_100_continue_is_not_held() -> None:
    transport, real, _ = transport_for(asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # before the response started
    assert real.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]


async def test_close_writes_a_held_head_first() -> None:
    transport, real, (cycle, closed) = transport_for(asyncio.get_running_loop())
    cycle.response_started = True
    transport.write(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
    transport.close()
    assert real.writes == [b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n"]
    assert closed == [True]


async def test_other_attributes_are_the_real_transport() -> None:
    transport, _, _ = transport_for(asyncio.get_running_loop())
    assert transport.get_extra_info("peername") == ("127.0.0.1", 1)

"""A socket's delivery path without a server: ``Hub`` -> ``SocketConnection`` -> an ASGI
``send`` (a recording stand-in for the WebSocket). The frame is built once per message;
no sender task until a socket's first frame (then one, woken per burst); a slow socket
is dropped at its queue's bound and its 1013 close is awaited; a replayed message
arriving live again is sent once; a socket that never replayed keeps no id set. Plus
REALTIME_COMPRESSION.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.websockets import WebSocketState

from sentinel_spec.runtime.realtime.channels import Message
from sentinel_spec.runtime.realtime.connection import SLOW_CONSUMER, SocketConnection
from sentinel_spec.runtime.realtime.hub import Hub
from sentinel_spec.runtime.realtime.settings import Heartbeat, RealtimeConfigError, RealtimeSettings
from sentinel_spec.runtime.realtime.store import Replay


class RecordingSocket:
    """What SocketConnection uses of a Starlette WebSocket; ``gate`` stalls its sends
    like a client whose TCP window is shut."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.application_state = WebSocketState.CONNECTED
        self.closed_with: tuple[int, str] | None = None
        self.gate: asyncio.Event | None = None

    async def send(self, message: dict[str, Any]) -> None:
        assert message["type"] == "websocket.send"
        if self.gate is not None:
            await self.gate.wait()
        self.sent.append(message["text"])

    async def close(self, code: int, reason: str = "") -> None:
        self.closed_with = (code, reason)
        self.application_state = WebSocketState.DISCONNECTED


def connection(
    hub: Hub, settings: RealtimeSettings | None = None, **kwargs: Any
) -> tuple[SocketConnection, RecordingSocket]:
    socket = RecordingSocket()
    conn = SocketConnection(socket, hub, settings or RealtimeSettings(), **kwargs)  # type: ignore[arg-type]
    return conn, socket


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_one_frame_object_for_every_socket_and_no_idle_sender() -> None:
    hub = Hub()
    pairs = [connection(hub) for _ in range(3)]
    for conn, _ in pairs:
        await conn.subscribe("case:1")
        assert conn._sender is None  # idle: no task
    hub.deliver(Message(1, "case:1", '{"n":1}'))
    assert all(conn._sender is not None for conn, _ in pairs)
    await settle()
    texts = [socket.sent[0] for _, socket in pairs]
    assert texts[0] == '{"id":"1","channel":"case:1","message":{"n":1}}'
    assert texts[0] is texts[1] is texts[2]  # framed once, shared
    senders = [conn._sender for conn, _ in pairs]
    hub.deliver(Message(2, "case:1", '{"n":2}'))
    await settle()
    assert [len(socket.sent) for _, socket in pairs] == [2, 2, 2]
    assert [conn._sender for conn, _ in pairs] == senders  # woken, not a task per burst
    assert all(conn._replayed is None for conn, _ in pairs)
    for conn, _ in pairs:
        await conn.finish()
    assert all(sender is not None and sender.done() for sender in senders)


async def test_a_stalled_socket_is_dropped_at_its_bound_and_its_close_awaited() -> None:
    hub = Hub()
    fast, fast_socket = connection(hub)
    slow, slow_socket = connection(hub, RealtimeSettings(queue_messages=3))
    slow_socket.gate = asyncio.Event()  # never opened
    for conn in (fast, slow):
        await conn.subscribe("case:1")
    for i in range(1, 7):
        hub.deliver(Message(i, "case:1", str(i)))
        await settle()
    assert slow.closed.is_set() and slow.close_code == SLOW_CONSUMER
    assert hub.subscribers("case:1") == 1
    assert len(fast_socket.sent) == 6
    await slow.finish()  # returns once the close frame went out (or was given up on)
    assert slow_socket.closed_with is not None and slow_socket.closed_with[0] == SLOW_CONSUMER


async def test_a_replayed_message_arriving_live_is_sent_once() -> None:
    hub = Hub()
    late = Message(7, "case:1", '"late"')

    async def replay(channels: list[str], last_id: int) -> Replay:
        # A live message arrives while the replay's query runs: held, then merged.
        hub.deliver(Message(8, "case:1", '"during"'))
        return Replay([Message(6, "case:1", '"missed"'), late], complete=True)

    conn, socket = connection(hub, last_id=5, replay=replay)
    await conn.subscribe("case:1")
    # Message 7's NOTIFY was on its way when the replay read it: it arrives live too
    # (a second Message object, as a listener would parse it).
    conn.offer(Message(7, "case:1", '"late"'))
    hub.deliver(Message(9, "case:1", '"after"'))
    await settle()
    ids = [text.split('"')[3] for text in socket.sent]
    assert ids == ["6", "7", "8", "9"]


def test_compression_is_off_unless_asked_for() -> None:
    assert Heartbeat.from_env({}).uvicorn_options()["ws_per_message_deflate"] is False
    on = Heartbeat.from_env({"REALTIME_COMPRESSION": "true"})
    assert on.uvicorn_options() == {
        "ws_ping_interval": 25.0,
        "ws_ping_timeout": 20.0,
        "ws_per_message_deflate": True,
    }
    with pytest.raises(RealtimeConfigError, match="REALTIME_COMPRESSION"):
        Heartbeat.from_env({"REALTIME_COMPRESSION": "maybe"})

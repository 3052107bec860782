"""One accepted native WebSocket: its bounded send queue, its sender, its replay.

The fan-out calls ``offer`` (synchronous, never waits). Frames wait in a queue bounded
in messages and bytes; a sender task writes them, started by the socket's first frame
(a socket that is never sent anything holds no task) and woken through a bare future
after that. A client that stops reading makes the sender wait on the socket, the queue
fills, and the connection is dropped: removed from every channel at once, given
``close_timeout`` to take a 1013 close frame, then cut.

Frames are the message's own text (``Message.frame``, built once per instance) handed to
the ASGI server as ``websocket.send``; the server frames and writes it per socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from sentinel_spec.runtime.realtime.channels import Message, gap_frame
from sentinel_spec.runtime.realtime.hub import Hub, RecentIds
from sentinel_spec.runtime.realtime.settings import RealtimeSettings
from sentinel_spec.runtime.realtime.store import Replay

log = logging.getLogger("sentinel.realtime")

SLOW_CONSUMER = 1013  # RFC 6455 "try again later": reconnect, resume with lastId
SLOW_CONSUMER_REASON = "send queue overflowed"

Fetch = Callable[[list[str], int], Awaitable[Replay]]


class SocketConnection:
    def __init__(
        self,
        websocket: WebSocket,
        hub: Hub,
        settings: RealtimeSettings,
        *,
        user: Any = None,
        last_id: int | None = None,
        replay: Fetch | None = None,
    ) -> None:
        self.websocket = websocket
        self.hub = hub
        self.settings = settings
        self.user = user
        self.last_id = last_id  # the client's ?lastId=: each subscribe replays from it
        self._replay = replay
        self._queue: deque[str] = deque()
        self._queued_bytes = 0
        # Ids a replay sent: the live copy of one may still arrive after it (its NOTIFY
        # was on its way when the replay's query read it). None until a replay runs; the
        # hub already delivers each live id once.
        self._replayed: RecentIds | None = None
        self._holding: dict[str, list[Message]] = {}  # channel -> live messages during replay
        self.closed = asyncio.Event()
        self.close_code: int | None = None
        self.overflowed = False
        # Started by the first frame (a socket that is never sent anything has no task),
        # then waiting on ``_waiter`` between bursts.
        self._sender: asyncio.Task[None] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._closing: asyncio.Task[None] | None = None

    # ---------------------------------------------------------------- fan-out side

    def offer(self, message: Message) -> None:
        if self.closed.is_set():
            return
        held = self._holding.get(message.channel)
        if held is not None:
            held.append(message)
            return
        self._enqueue_message(message)

    def _enqueue_message(self, message: Message) -> None:
        replayed = self._replayed
        if replayed is None or message.id not in replayed:
            self.enqueue(message.frame())

    def enqueue(self, text: str) -> None:
        """Queue a frame; past the queue's bounds the socket is dropped instead."""
        if self.closed.is_set():
            return
        size = len(text)
        if (
            len(self._queue) >= self.settings.queue_messages
            or self._queued_bytes + size > self.settings.queue_bytes
        ):
            self.overflowed = True
            log.warning(
                "realtime: dropping a slow socket (user %s): %d frames / %d bytes queued",
                getattr(self.user, "id", None),
                len(self._queue),
                self._queued_bytes,
            )
            self.drop(SLOW_CONSUMER, SLOW_CONSUMER_REASON)
            return
        self._queue.append(text)
        self._queued_bytes += size
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        elif self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(
                self._send_loop(), name="realtime-socket-sender"
            )

    @property
    def queued(self) -> int:
        return len(self._queue)

    # ---------------------------------------------------------------- subscriptions

    async def subscribe(self, channel: str) -> None:
        """Listen to ``channel``; with a ``lastId``, first send what was missed on it.

        Live messages arriving during the replay's query are held and sent after it,
        minus those the replay already sent, so the socket gets each id once.
        """
        if self.closed.is_set() or channel in self.hub.channels_of(self):
            return
        if self.last_id is None or self._replay is None:
            self.hub.subscribe(channel, self)
            return
        self._holding[channel] = []
        self.hub.subscribe(channel, self)
        try:
            replay = await self._replay([channel], self.last_id)
        finally:
            held = self._holding.pop(channel, [])
        if not replay.complete:
            self.enqueue(gap_frame(channel))
        if self._replayed is None:
            self._replayed = RecentIds(2 * self.settings.replay_limit + 64)
        for message in _merge(replay.messages, held):
            if self._replayed.add(message.id):
                self.enqueue(message.frame())

    def unsubscribe(self, channel: str) -> None:
        self.hub.unsubscribe(channel, self)

    # ---------------------------------------------------------------- the socket

    async def _send_loop(self) -> None:
        """Write the queue out; wait on a bare future for the next frame (cheaper to
        wake than an ``asyncio.Event``, and far cheaper than a task per burst)."""
        queue = self._queue
        send = self.websocket.send
        loop = asyncio.get_running_loop()
        try:
            while True:
                while queue:
                    text = queue.popleft()
                    self._queued_bytes -= len(text)
                    await send({"type": "websocket.send", "text": text})
                self._waiter = loop.create_future()
                await self._waiter
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away: the receive side notices too
            self.drop(None)

    def drop(self, code: int | None, reason: str = "") -> None:
        """Stop delivering at once; close (with ``code``) in the background."""
        if self.closed.is_set():
            return
        self.close_code = code
        self.closed.set()
        self.hub.drop(self)
        self._queue.clear()
        self._queued_bytes = 0
        sender = self._sender
        if sender is not None and sender is not asyncio.current_task():
            sender.cancel()
        if code is not None:
            self._closing = task = asyncio.create_task(self._close(code, reason))
            _background.add(task)
            task.add_done_callback(_background.discard)

    async def _close(self, code: int, reason: str) -> None:
        try:
            async with asyncio.timeout(self.settings.close_timeout_seconds):
                if self.websocket.application_state == WebSocketState.CONNECTED:
                    await self.websocket.close(code, reason)
                return
        except Exception:  # TimeoutError, or the close could not be sent at all
            pass
        # The peer takes nothing (its TCP window is shut): the close frame cannot get
        # out, so cut the connection rather than keep its buffers until TCP gives up.
        # Either way the endpoint's receive then gets its disconnect.
        abort_transport(self.websocket)

    async def finish(self) -> None:
        """The endpoint's last step: stop the sender and let a close under way end (it
        takes at most ``close_timeout``), since the server cuts the connection when the
        endpoint returns and the close frame would not get out."""
        sender = self._sender
        self.drop(None)
        if sender is not None:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        if self._closing is not None:
            await asyncio.gather(self._closing, return_exceptions=True)


_background: set[asyncio.Task[None]] = set()


def abort_transport(websocket: WebSocket) -> None:
    """Abort the TCP connection under ``websocket`` when the server exposes it.

    ASGI has no "abort" message; uvicorn's receive callable is a method of its protocol
    object, which holds the transport. Elsewhere the connection closes when the peer
    reads or TCP gives up.
    """
    receive = getattr(websocket, "_receive", None)
    protocol = getattr(receive, "__self__", None)
    transport = getattr(protocol, "transport", None)
    if transport is not None and hasattr(transport, "abort"):
        with contextlib.suppress(Exception):
            transport.abort()


def _merge(replayed: Iterable[Message], held: Iterable[Message]) -> list[Message]:
    by_id = {m.id: m for m in replayed}
    for message in held:
        by_id.setdefault(message.id, message)
    return [by_id[i] for i in sorted(by_id)]

"""The Redis fan-out's listener stops promptly whatever it is doing: connecting, subscribed,
backing off after a failure, talking to a Redis that never answers, and when a stop
arrives as one of its sends finishes (Python 3.11's ``asyncio.wait_for``, around every
redis-py send, loses a cancellation that arrives in that loop turn: the listener ran on
and a server stopped right after start hung for good). Real Redis; every wait bounded.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections.abc import AsyncIterator, Iterable

import pytest

from sentinel_spec.runtime.realtime.channels import Message
from sentinel_spec.runtime.realtime.fanout import RedisFanout

pytestmark = pytest.mark.timeout(60)

STOP_BOUND = 2.0  # seconds: a stop takes milliseconds; 2 s says it did not hang


async def _bounded_stop(fanout: RedisFanout) -> float:
    """stop() within STOP_BOUND, else the test fails (and the listener is torn down)."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    stopping = asyncio.ensure_future(fanout.stop())
    done, _ = await asyncio.wait({stopping}, timeout=STOP_BOUND)
    if not done:
        stuck = repr(fanout._task)
        await _tear_down(fanout)
        pytest.fail(f"stop() still running after {STOP_BOUND} s (listener: {stuck})")
    stopping.result()
    return loop.time() - began


async def _tear_down(fanout: RedisFanout) -> None:
    """Cancel a listener until it ends (it may have lost cancellations): never left behind."""
    task = fanout._task
    for _ in range(100):
        if task is None or task.done():
            return
        task.cancel()
        await asyncio.wait({task}, timeout=0.05)


@pytest.fixture
async def fanouts(redis_url: str, prefix: str) -> AsyncIterator[list[RedisFanout]]:
    made: list[RedisFanout] = []
    yield made
    for fanout in made:
        await _tear_down(fanout)


def _new(made: list[RedisFanout], url: str, prefix: str) -> RedisFanout:
    fanout = RedisFanout(None, url, prefix)
    made.append(fanout)
    return fanout


@pytest.mark.parametrize("command", [b"CLIENT", b"SUBSCRIBE"], ids=["connecting", "subscribing"])
async def test_a_stop_arriving_as_a_send_finishes_is_not_lost(
    fanouts: list[RedisFanout],
    redis_url: str,
    prefix: str,
    command: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Deterministic: stop() is called as the listener's send of ``command`` (the
    connection's handshake, the SUBSCRIBE) completes, the interleaving that lost the
    cancellation and hung the server."""
    from redis.asyncio.connection import Connection

    fanout = _new(fanouts, redis_url, prefix)
    original = Connection._send_packed_command
    stops: list[asyncio.Future[None]] = []

    async def send(self: Connection, packed: Iterable[bytes]) -> None:
        chunks = list(packed)
        await original(self, chunks)
        if not stops and command in b"".join(bytes(c) for c in chunks):
            stops.append(asyncio.ensure_future(fanout.stop()))

    monkeypatch.setattr(Connection, "_send_packed_command", send)
    starting = asyncio.create_task(fanout.start(lambda message: None))
    async with asyncio.timeout(5):
        while not stops:
            await asyncio.sleep(0.001)
    done, _ = await asyncio.wait({stops[0]}, timeout=STOP_BOUND)
    if not done:
        stuck = repr(fanout._task)
        await _tear_down(fanout)
        pytest.fail(f"stop() during the {command.decode()} send hung: {stuck}")
    assert fanout._task is not None and fanout._task.done()
    async with asyncio.timeout(STOP_BOUND):
        await starting  # start() ends quietly when stop() came first


async def test_stops_right_after_start_whenever_it_comes(
    fanouts: list[RedisFanout], redis_url: str, prefix: str
) -> None:
    """The real race, no patching: stops at random moments of the first 20 ms (connecting,
    handshake, SUBSCRIBE, its answer). Before the fix one in a few hung."""
    rng = random.Random(7)
    for _ in range(40):
        fanout = _new(fanouts, redis_url, prefix)
        starting = asyncio.create_task(fanout.start(lambda message: None))
        await asyncio.sleep(rng.uniform(0, 0.02))
        await _bounded_stop(fanout)
        async with asyncio.timeout(STOP_BOUND):
            await starting


async def test_stops_when_subscribed_and_unsubscribes(
    fanouts: list[RedisFanout], redis_url: str, prefix: str
) -> None:
    import redis.asyncio as redis

    received: list[Message] = []
    fanout = _new(fanouts, redis_url, prefix)
    async with asyncio.timeout(5):
        await fanout.start(received.append)
    assert fanout.connected.is_set()
    # start() returned once Redis confirmed the SUBSCRIBE: a PUBLISH now arrives.
    await fanout.send(Message(1, "room:1", '{"hi": 1}'))
    async with asyncio.timeout(5):
        while not received:
            await asyncio.sleep(0.01)
    assert received == [Message(1, "room:1", '{"hi": 1}')]
    assert await _bounded_stop(fanout) < 1.0
    client = redis.Redis.from_url(redis_url)
    try:
        assert await client.pubsub_numsub(fanout.topic) == [(fanout.topic.encode(), 0)]
    finally:
        await client.aclose()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_stops_while_backing_off_from_an_unreachable_redis(
    fanouts: list[RedisFanout], prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    fanout = _new(fanouts, f"redis://127.0.0.1:{_closed_port()}/0", prefix)
    with caplog.at_level(logging.WARNING, logger="sentinel.realtime"):
        starting = asyncio.create_task(fanout.start(lambda message: None))
        async with asyncio.timeout(5):  # refused: the first attempt fails at once
            while "redis listener lost" not in caplog.text:
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # inside the 0.2 s backoff
        assert not fanout.connected.is_set()
        assert await _bounded_stop(fanout) < 1.0
    async with asyncio.timeout(STOP_BOUND):
        await starting


async def test_stops_while_connecting_to_a_redis_that_never_answers(
    fanouts: list[RedisFanout], prefix: str
) -> None:
    """A server that accepts and stays silent: the handshake waits out redis-py's socket
    timeout; stop() does not."""
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        fanout = _new(fanouts, f"redis://127.0.0.1:{port}/0", prefix)
        starting = asyncio.create_task(fanout.start(lambda message: None))
        async with asyncio.timeout(5):
            while not held:
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # its handshake is waiting for an answer
        assert not starting.done()
        assert await _bounded_stop(fanout) < 1.0
        async with asyncio.timeout(STOP_BOUND):
            await starting
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_socketio_redis_listener_stops_with_the_app(redis_url: str, prefix: str) -> None:
    """python-socketio starts its Redis manager's listener at the first connection and
    never stops it; the app's stop does, and the subscription goes away with it."""
    import redis.asyncio as aioredis

    from sentinel_spec.runtime.realtime.socket_io import SocketIOServer

    server = SocketIOServer(
        fn=None,
        path="/socket.io",
        realtime=None,
        authenticate=None,
        auth_required=False,
        redis_url=redis_url,
        redis_prefix=prefix,
    )
    # What python-socketio does at the first connection.
    server.sio.manager_initialized = True
    server.sio.manager.initialize()
    listener = server.sio.manager.thread
    channel = f"{prefix}socketio"
    probe = aioredis.Redis.from_url(redis_url)
    try:
        for _ in range(100):  # subscribed: the listener is live
            if (await probe.pubsub_numsub(channel))[0][1] == 1:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the Socket.IO manager never subscribed")
        await asyncio.wait_for(server.stop(), STOP_BOUND)
        assert listener.done()
        for _ in range(100):
            if (await probe.pubsub_numsub(channel))[0][1] == 0:
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the Socket.IO manager is still subscribed after stop")
    finally:
        listener.cancel()
        await probe.aclose()

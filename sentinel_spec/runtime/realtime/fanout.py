"""How a message published on one instance reaches the sockets of every instance.

- ``PostgresFanout`` (the default): the publish stores the message and queues a
  ``NOTIFY`` in the publisher's transaction (delivered at commit, dropped on rollback);
  every instance ``LISTEN``s on one connection of its own. Payloads that would pass
  NOTIFY's 8000-byte limit travel as their id and are read from the replay table.
- ``RedisFanout`` (when ``REDIS_URL`` is set): the message is stored in the same
  transaction and ``PUBLISH``ed after the commit.
- ``LocalFanout``: one process, no database, no Redis (tests, tiny apps).

After a lost connection a listener reconnects with backoff and catches up from the
replay table, so a database or Redis restart loses no message that was committed.

``stop()`` ends a listener within ``STOP_SECONDS`` whatever it is doing (connecting,
subscribed, backing off, reconnecting): see ``runtime.cancelling.cancel_and_wait``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.realtime import store
from sentinel_spec.runtime.realtime.channels import Message

log = logging.getLogger("sentinel.realtime")

Deliver = Callable[[Message], object]
CATCH_UP_LIMIT = 10_000
STOP_SECONDS = 5.0  # the most stop() waits for a listener's task to end
CLOSE_SECONDS = 2.0  # the most a listener waits to close its connection
SUBSCRIBED_SECONDS = 10.0  # the most a Redis listener waits for SUBSCRIBE's answer


async def close_quietly(closing: Awaitable[Any], what: str) -> None:
    """Await a clean-up for at most ``CLOSE_SECONDS``, logging (never raising) its failure:
    raised from a ``finally`` during a cancellation, an error would replace the
    ``CancelledError``, and the listener would take its stop for a lost connection."""
    try:
        async with asyncio.timeout(CLOSE_SECONDS):
            await closing
    except Exception as error:
        log.info("realtime: %s: %r (ignored)", what, error)


class Fanout:
    """Base: ``transactional`` backends send from inside the publishing transaction
    (``store.insert(notify=True)``); the others ``send`` after it committed."""

    transactional = False
    name = "local"

    def __init__(self) -> None:
        self.deliver: Deliver = lambda message: None
        self.connected = asyncio.Event()

    async def start(self, deliver: Deliver) -> None:
        self.deliver = deliver
        self.connected.set()

    async def stop(self) -> None:
        self.connected.clear()

    async def send(self, message: Message) -> None:
        self.deliver(message)

    async def next_id(self) -> int:  # pragma: no cover - overridden where no table exists
        raise NotImplementedError


class LocalFanout(Fanout):
    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)

    async def next_id(self) -> int:
        return next(self._ids)


class _Listener(Fanout):
    """A background task that keeps one subscription alive and catches up on reconnect."""

    def __init__(self, engine: Any, overlap_seconds: float) -> None:
        super().__init__()
        self.engine = engine  # the app's AsyncEngine, for reading rows (None: no table)
        self.overlap_seconds = overlap_seconds
        self.last_id = 0  # highest id delivered here
        self._task: asyncio.Task[None] | None = None
        self._first = asyncio.get_running_loop().create_future()
        # Set by stop(): the listener's loops end at their next turn even when a library
        # lost the cancellation (see cancel_and_wait).
        self._stopping = False

    async def start(self, deliver: Deliver) -> None:
        self.deliver = deliver
        self._task = asyncio.create_task(self._run(), name=f"realtime-{self.name}-listener")
        # Listening before start() returns: a publish right after start-up is not missed.
        # A first attempt that fails ends the wait (the database is away: no publish can
        # commit either, and the retries go on in the background).
        done, _ = await asyncio.wait(
            {self._first, self._task}, timeout=15, return_when=asyncio.FIRST_COMPLETED
        )
        if self._task in done and not self._task.cancelled():  # cancelled: stop() came first
            self._task.result()
        if not done:
            log.warning("realtime: %s listener not connected after 15 s; retrying", self.name)

    async def stop(self) -> None:
        self._stopping = True
        self.connected.clear()
        if self._task is not None and not await cancel_and_wait(self._task, STOP_SECONDS):
            log.error(
                "realtime: %s listener still running %.0f s after stop(); left behind",
                self.name,
                STOP_SECONDS,
            )

    def _received(self, message: Message) -> None:
        self.last_id = max(self.last_id, message.id)
        self.deliver(message)

    async def _run(self) -> None:
        backoff = 0.2
        caught_up_once = False
        while not self._stopping:
            try:
                # aclosing: a cancellation in the loop's body (a catch-up) closes the
                # connection now, not when the generator is garbage-collected.
                async with contextlib.aclosing(self._listen()) as connections:
                    async for _ in connections:
                        if self._stopping:
                            return
                        # Connected: catch up on what was committed while we were away.
                        self.connected.set()
                        if not self._first.done():
                            self._first.set_result(None)
                        if caught_up_once:
                            await self._catch_up()
                        caught_up_once = True
                        backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self._stopping:
                    return
                log.warning("realtime: %s listener lost (%s); reconnecting", self.name, error)
                if not self._first.done():
                    self._first.set_result(None)  # start() stops waiting: see there
            self.connected.clear()
            if self._stopping:
                return
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _listen(self) -> Any:  # an async generator yielding once connected
        raise NotImplementedError
        yield

    async def _catch_up(self) -> None:
        if self.engine is None or self.last_id == 0:
            return
        async with self.engine.connect() as conn:
            missed = await store.after(
                conn, self.last_id, overlap_seconds=self.overlap_seconds, limit=CATCH_UP_LIMIT
            )
        for message in missed:
            self._received(message)
        if missed:
            log.info("realtime: %s listener caught up on %d message(s)", self.name, len(missed))


class PostgresFanout(_Listener):
    transactional = True
    name = "postgres"

    def __init__(self, engine: Any, libpq_url: str, overlap_seconds: float = 2.0) -> None:
        super().__init__(engine, overlap_seconds)
        self.libpq_url = libpq_url

    async def send(self, message: Message) -> None:
        # Already on its way: the NOTIFY was queued inside the publishing transaction.
        return None

    async def _listen(self) -> Any:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(
            self.libpq_url,
            autocommit=True,
            # A dead server (or a cut network) is noticed within about half a minute.
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        try:
            await conn.execute(f"LISTEN {store.NOTIFY_TOPIC}")
            yield
            async for notification in conn.notifies():
                if self._stopping:
                    return
                await self._notified(notification.payload)
        finally:
            await close_quietly(conn.close(), "closing the LISTEN connection")

    async def _notified(self, text: str) -> None:
        try:
            message_id, channel, payload = store.parse_notification(text)
        except ValueError:
            log.warning("realtime: ignoring a malformed notification %r", text[:80])
            return
        if payload is not None:
            self._received(Message(message_id, channel, payload))
            return
        async with self.engine.connect() as conn:  # too large to travel inline
            for message in await store.fetch(conn, [message_id]):
                self._received(message)


class RedisFanout(_Listener):
    name = "redis"

    def __init__(
        self, engine: Any, redis_url: str, prefix: str, overlap_seconds: float = 2.0
    ) -> None:
        super().__init__(engine, overlap_seconds)
        import redis.asyncio as redis

        self.redis = redis.Redis.from_url(redis_url)
        self.topic = f"{prefix}realtime"
        self.counter = f"{prefix}realtime:id"

    async def next_id(self) -> int:
        # Without a database the ids come from Redis, still one sequence for every instance.
        return int(await self.redis.incr(self.counter))

    async def send(self, message: Message) -> None:
        data = f"{message.id} {message.channel}\n{message.payload}"
        try:
            await self.redis.publish(self.topic, data)
        except Exception as error:  # stored already: listeners catch up on reconnect
            log.error("realtime: redis PUBLISH of message %s failed: %s", message.id, error)

    async def stop(self) -> None:
        await super().stop()
        await close_quietly(self.redis.aclose(), "closing the Redis client")

    async def _listen(self) -> Any:
        # Subscribe confirmations are read here, not dropped by redis-py: a None from
        # get_message then always means 30 s without a message (time for a PING).
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.topic)
            await self._subscribed(pubsub)
            yield
            while not self._stopping:
                item = await pubsub.get_message(timeout=30.0)
                if item is None:
                    await pubsub.ping()  # a dead connection raises here
                    continue
                if item.get("type") != "message":
                    continue
                data = item["data"]
                text = data.decode() if isinstance(data, bytes) else str(data)
                message_id, channel, payload = store.parse_notification(text)
                if payload is not None:
                    self._received(Message(message_id, channel, payload))
        finally:
            await close_quietly(pubsub.aclose(), "closing the Redis subscription")  # type: ignore[no-untyped-call]

    async def _subscribed(self, pubsub: Any) -> None:
        """Wait for Redis to confirm the SUBSCRIBE: from then on a PUBLISH reaches us (the
        command may still be on its way when subscribe() returns)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SUBSCRIBED_SECONDS
        while not self._stopping:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ConnectionError(f"no answer to SUBSCRIBE in {SUBSCRIBED_SECONDS:.0f} s")
            item = await pubsub.get_message(timeout=remaining)
            if item is not None and item.get("type") == "subscribe":
                return

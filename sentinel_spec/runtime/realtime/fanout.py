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
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from typing import Any

from sentinel_spec.runtime.realtime import store
from sentinel_spec.runtime.realtime.channels import Message

log = logging.getLogger("sentinel.realtime")

Deliver = Callable[[Message], object]
CATCH_UP_LIMIT = 10_000


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

    async def start(self, deliver: Deliver) -> None:
        self.deliver = deliver
        self._task = asyncio.create_task(self._run(), name=f"realtime-{self.name}-listener")
        # Listening before start() returns: a publish right after start-up is not missed.
        done, _ = await asyncio.wait(
            {self._first, self._task}, timeout=15, return_when=asyncio.FIRST_COMPLETED
        )
        if self._task in done:
            self._task.result()
        if not done:
            log.warning("realtime: %s listener not connected after 15 s; retrying", self.name)

    async def stop(self) -> None:
        self.connected.clear()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def _received(self, message: Message) -> None:
        self.last_id = max(self.last_id, message.id)
        self.deliver(message)

    async def _run(self) -> None:
        backoff = 0.2
        caught_up_once = False
        while True:
            try:
                async for _ in self._listen():
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
                log.warning("realtime: %s listener lost (%s); reconnecting", self.name, error)
            self.connected.clear()
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
                await self._notified(notification.payload)
        finally:
            await conn.close()

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
        await self.redis.aclose()

    async def _listen(self) -> Any:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.topic)
            yield
            while True:
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
            await pubsub.aclose()  # type: ignore[no-untyped-call]

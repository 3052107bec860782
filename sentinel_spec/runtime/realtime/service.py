"""``Realtime``: the publisher (``services.publisher``, ``context.realtime``) and the
subscription rules of one app instance.

- ``publish(channel, message)`` outside a unit of work stores the message in its own
  short transaction; ``bind(scope).publish`` (what ``context.realtime`` is) joins the
  caller's transaction, so subscribers see it only after the commit and never after a
  rollback (NOTIFY is transactional; a Redis PUBLISH waits for SQLAlchemy's
  ``after_commit``).
- ``subscribe(websocket, channel)`` checks the channel against the rules below, then
  subscribes the socket (replaying what it missed when it came back with ``lastId``).

Subscription rules: ``user:<id>`` only for that user (every signed-in socket gets its
own on connect); every other channel needs the app's ``authorize`` hook to say yes, and
with no hook it is refused, loudly. ``sentinel.*`` channels are the runtime's own.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.realtime import store
from sentinel_spec.runtime.realtime.channels import (
    INTERNAL_PREFIX,
    USER_PREFIX,
    Message,
    check_channel,
    user_channel,
)
from sentinel_spec.runtime.realtime.connection import SocketConnection
from sentinel_spec.runtime.realtime.fanout import (
    STOP_SECONDS,
    Fanout,
    LocalFanout,
    PostgresFanout,
    RedisFanout,
)
from sentinel_spec.runtime.realtime.hub import Hub, Subscriber
from sentinel_spec.runtime.realtime.settings import RealtimeSettings

log = logging.getLogger("sentinel.realtime")

# ``authorize(user, channel, context) -> bool`` (sync or async): may this user listen to
# this channel? ``context.session`` is a fresh unit of work for the check.
Authorize = Callable[[Any, str, Any], "Awaitable[bool] | bool"]
ScopeFactory = Callable[[], AbstractAsyncContextManager[Any]]

CONNECTION_KEY = "sentinel.realtime.connection"
_PENDING_KEY = "sentinel.realtime.pending"


class SubscriptionRefused(PermissionError):
    """``subscribe`` to a channel this socket may not listen to."""


class Realtime:
    def __init__(
        self,
        *,
        settings: RealtimeSettings | None = None,
        engine: Any = None,
        database_url: str | None = None,
        redis_url: str | None = None,
        authorize: Authorize | None = None,
        scopes: ScopeFactory | None = None,
    ) -> None:
        """``engine``: the app's ``AsyncEngine`` (None: no database, no replay);
        ``database_url``: its libpq URL, for the LISTEN connection; ``redis_url``: fan
        out through Redis instead of NOTIFY; ``scopes``: the app's units of work, for
        the ``authorize`` hook's ``context.session``."""
        self.settings = settings or RealtimeSettings()
        self.engine = engine
        self.database_url = database_url
        self.redis_url = redis_url or None
        self.authorize = authorize
        self.scopes = scopes
        self.hub = Hub()
        self.fanout: Fanout | None = None
        self._pruner: asyncio.Task[None] | None = None
        self._after_commit: set[asyncio.Task[None]] = set()
        self.socket_io: Any = None  # the app.webSocket server, when the app has one

    @property
    def has_replay(self) -> bool:
        return self.engine is not None

    @property
    def backend(self) -> str:
        return self.fanout.name if self.fanout is not None else "stopped"

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        overlap = self.settings.replay_overlap_seconds
        if self.redis_url is not None:
            self.fanout = RedisFanout(
                self.engine, self.redis_url, self.settings.redis_prefix, overlap
            )
        elif self.engine is not None and self.database_url is not None:
            self.fanout = PostgresFanout(self.engine, self.database_url, overlap)
        else:
            log.warning(
                "realtime: no database and no REDIS_URL: messages reach only this "
                "process's sockets, and nothing is kept for replay"
            )
            self.fanout = LocalFanout()
        await self.fanout.start(self.hub.deliver)
        if self.engine is not None:
            self._pruner = asyncio.create_task(self._prune_loop(), name="realtime-pruner")

    async def stop(self) -> None:
        """Bounded whatever is away (database, Redis): each step waits ``STOP_SECONDS`` at
        most."""
        if self._pruner is not None:
            await cancel_and_wait(self._pruner, STOP_SECONDS)
        if self._after_commit:
            # Sends of committed messages: let them finish (a listener elsewhere would
            # otherwise see them only at its next catch-up), but not for ever.
            pending = set(self._after_commit)
            _, late = await asyncio.wait(pending, timeout=STOP_SECONDS)
            if late:
                log.warning("realtime: %d send(s) still running at stop; cancelled", len(late))
                for task in late:
                    await cancel_and_wait(task, STOP_SECONDS)
        if self.fanout is not None:
            await self.fanout.stop()

    async def _prune_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.prune_every_seconds)
            try:
                await self.prune()
            except Exception as error:
                log.warning("realtime: pruning the replay table failed: %s", error)

    async def prune(self) -> int:
        """Apply the retention bounds now (every instance does it every minute)."""
        async with self.engine.begin() as conn:
            return await store.prune(
                conn,
                ttl_seconds=self.settings.replay_ttl_seconds,
                max_rows=self.settings.replay_max_rows,
            )

    # ---------------------------------------------------------------- publishing

    async def publish(self, channel: str, message: Any) -> str:
        """Publish outside any unit of work (a socket handler, a background task)."""
        channel, payload = _prepare(channel, message)
        return await self._publish(channel, payload)

    async def publish_internal(self, channel: str, payload: str) -> str:
        """Publish JSON text on a runtime channel (``sentinel.*``), outside any unit of work."""
        if not check_channel(channel).startswith(INTERNAL_PREFIX):
            raise ValueError(f"{channel!r} is not a runtime channel")
        return await self._publish(channel, payload)

    async def _publish(self, channel: str, payload: str) -> str:
        fanout = self._running()
        if self.engine is None:
            msg = Message(await fanout.next_id(), channel, payload)
            await fanout.send(msg)
            return str(msg.id)
        async with self.engine.begin() as conn:
            message_id = await store.insert(conn, channel, payload, notify=fanout.transactional)
        await fanout.send(Message(message_id, channel, payload))
        return str(message_id)

    async def publish_in(self, scope: Any, channel: str, message: Any) -> str:
        """Publish inside ``scope``'s transaction: delivered after its commit."""
        if scope is None or self.engine is None:
            return await self.publish(channel, message)
        channel, payload = _prepare(channel, message)
        fanout = self._running()
        session = scope.session
        message_id = await store.insert(session, channel, payload, notify=fanout.transactional)
        if not fanout.transactional:
            self._send_after_commit(session, Message(message_id, channel, payload))
        return str(message_id)

    def bind(self, scope: Any) -> ScopedRealtime:
        """What ``context.realtime`` is inside one operation, api, page or job call."""
        return ScopedRealtime(self, scope)

    def _running(self) -> Fanout:
        if self.fanout is None:
            raise RuntimeError("realtime is not started (the app's lifespan starts it)")
        return self.fanout

    def _send_after_commit(self, session: Any, message: Message) -> None:
        """Queue ``message`` on the session; send the queue when it commits, drop it when
        it rolls back (a rolled-back savepoint drops what was published inside it)."""
        from sqlalchemy import event

        sync_session = session.sync_session
        found: list[tuple[Any, Message]] | None = sync_session.info.get(_PENDING_KEY)
        if found is None:
            found = sync_session.info[_PENDING_KEY] = []
            pending: list[tuple[Any, Message]] = found

            def committed(_: Any) -> None:
                queued = [m for _, m in pending]
                pending.clear()
                if queued:
                    task = asyncio.get_running_loop().create_task(self._send_all(queued))
                    self._after_commit.add(task)
                    task.add_done_callback(self._after_commit.discard)

            def rolled_back(_: Any, previous: Any) -> None:
                if not previous.nested:
                    pending.clear()
                    return
                pending[:] = [(t, m) for t, m in pending if not _inside(t, previous)]

            event.listen(sync_session, "after_commit", committed)
            event.listen(sync_session, "after_soft_rollback", rolled_back)
        found.append((sync_session.get_transaction(), message))

    async def _send_all(self, messages: list[Message]) -> None:
        fanout = self._running()
        for message in messages:  # in publish order
            await fanout.send(message)

    # ---------------------------------------------------------------- subscribing

    async def may_subscribe(self, user: Any, channel: str) -> bool:
        check_channel(channel)
        if channel.startswith(INTERNAL_PREFIX):
            return False
        if channel.startswith(USER_PREFIX):
            return user is not None and channel == user_channel(user.id)
        if self.authorize is None:
            raise SubscriptionRefused(
                f"no realtime authorize hook: a socket may only listen to its own "
                f"`user:<id>` channel, not {channel!r}; give the app an authorize hook "
                "(docs/realtime.md, Channels)"
            )
        async with self._scope() as scope:
            context = _hook_context(user, scope)
            verdict = self.authorize(user, channel, context)
            if inspect.isawaitable(verdict):
                verdict = await verdict
        return verdict is True

    def _scope(self) -> AbstractAsyncContextManager[Any]:
        return self.scopes() if self.scopes is not None else nullcontext()

    async def subscribe(self, websocket: Any, channel: str) -> None:
        """Subscribe a native socket (the ``websocket`` its fn received) to ``channel``.

        Raises ``SubscriptionRefused`` when the rules say no.
        """
        connection = connection_of(websocket)
        if not await self.may_subscribe(connection.user, channel):
            raise SubscriptionRefused(f"this socket may not subscribe to {channel!r}")
        await connection.subscribe(channel)

    async def unsubscribe(self, websocket: Any, channel: str) -> None:
        connection_of(websocket).unsubscribe(channel)

    def listen(self, channel: str, subscriber: Subscriber) -> None:
        """Subscribe a runtime-internal subscriber (no rules: the runtime's own code)."""
        self.hub.subscribe(check_channel(channel), subscriber)

    async def replay(self, channels: list[str], last_id: int) -> store.Replay:
        async with self.engine.connect() as conn:
            return await store.since(
                conn,
                channels,
                last_id,
                limit=self.settings.replay_limit,
                overlap_seconds=self.settings.replay_overlap_seconds,
            )


class ScopedRealtime:
    """``context.realtime``: publishes join this call's unit of work."""

    __slots__ = ("_realtime", "_scope")

    def __init__(self, realtime: Realtime, scope: Any) -> None:
        self._realtime = realtime
        self._scope = scope

    async def publish(self, channel: str, message: Any) -> str:
        return await self._realtime.publish_in(self._scope, channel, message)

    async def subscribe(self, websocket: Any, channel: str) -> None:
        await self._realtime.subscribe(websocket, channel)

    async def unsubscribe(self, websocket: Any, channel: str) -> None:
        await self._realtime.unsubscribe(websocket, channel)


def connection_of(websocket: Any) -> SocketConnection:
    scope = getattr(websocket, "scope", None)
    connection = scope.get(CONNECTION_KEY) if isinstance(scope, dict) else None
    if not isinstance(connection, SocketConnection):
        raise TypeError(
            "context.realtime.subscribe takes the websocket a `websocket` declaration's fn "
            f"received, not {type(websocket).__name__}"
        )
    return connection


def _prepare(channel: str, message: Any) -> tuple[str, str]:
    from sentinel_spec.runtime.serialization import dumps

    check_channel(channel)
    if channel.startswith(INTERNAL_PREFIX):
        raise ValueError(f"channels starting with {INTERNAL_PREFIX!r} are the runtime's own")
    return channel, dumps(message).decode()


def _inside(transaction: Any, ended: Any) -> bool:
    """True when ``transaction`` is ``ended`` or nested inside it."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _hook_context(user: Any, scope: Any) -> Any:
    from sentinel_spec.runtime.context import Context, Entities

    return Context(
        request=None,
        request_id=None,
        entities=Entities("the realtime authorize hook", {}),
        user=user,
        scope=scope,
    )

"""``app.webSocket``: a python-socketio server (ASGI mode) at its path, on the app's port.

- At connect the socket is authenticated from its handshake with the app's
  Authenticator: the session cookie, an ``Authorization: Bearer`` header, ``?token=``
  or Socket.IO's ``auth`` payload (``io(url, {auth: {token}})``). A user id sent by the
  client is never read. Without a valid session the connection is refused
  (``connect_error`` with ``{"message": "unauthenticated"}``) when the app has auth.
- A signed-in socket joins the room ``user:<id>``; its Socket.IO session holds
  ``{"user": <the user>}`` (``await sio.get_session(sid)``).
- The developer's ``fn(sio, context)`` runs once at start-up and registers handlers on
  the ``socketio.AsyncServer``. A ``connect`` handler it registers runs after the
  runtime's authentication, only for sockets that passed it.
- Across instances: python-socketio's ``AsyncRedisManager`` when ``REDIS_URL`` is set,
  else ``FanoutManager`` over the realtime fan-out (PostgreSQL NOTIFY), so an emit to a
  room on one instance reaches that room's sockets on every instance.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager
from starlette.requests import HTTPConnection
from starlette.routing import Mount

from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.realtime.channels import Message, user_channel
from sentinel_spec.runtime.realtime.fanout import STOP_SECONDS, close_quietly
from sentinel_spec.runtime.realtime.service import Realtime

log = logging.getLogger("sentinel.realtime")

Authenticate = Callable[[HTTPConnection], Awaitable[Any]]
FANOUT_CHANNEL = "sentinel.socketio"


class FanoutManager(AsyncPubSubManager):  # type: ignore[misc]
    """python-socketio's pub/sub manager over the realtime fan-out (NOTIFY by default)."""

    name = "sentinel-fanout"

    def __init__(self, realtime: Realtime, channel: str = FANOUT_CHANNEL) -> None:
        super().__init__(channel=channel)
        self.realtime = realtime
        self._inbox: asyncio.Queue[str] = asyncio.Queue()

    def offer(self, message: Message) -> None:  # a hub Subscriber
        self._inbox.put_nowait(message.payload)

    async def _publish(self, data: Any) -> None:
        await self.realtime.publish_internal(self.channel, self.json.dumps(data))

    async def _listen(self) -> AsyncIterator[str]:
        self.realtime.listen(self.channel, self)
        while True:
            yield await self._inbox.get()


class SocketIOServer:
    def __init__(
        self,
        *,
        fn: Callable[..., Any] | None,
        path: str,
        realtime: Realtime | None,
        authenticate: Authenticate,
        auth_required: bool | Callable[[], bool],
        redis_url: str | None = None,
        redis_prefix: str = "sentinel:",
        cors_origins: Sequence[str] | str | None = None,
        context_factory: Callable[[Any], Any] | None = None,
        ping_interval: float = 25,
        ping_timeout: float = 20,
        max_message_bytes: int = 1 << 20,
    ) -> None:
        self.fn = fn
        self.path = path.rstrip("/") or "/socket.io"
        self.realtime = realtime
        self.authenticate = authenticate
        self.auth_required = auth_required
        self.context_factory = context_factory
        if redis_url:
            manager: Any = socketio.AsyncRedisManager(redis_url, channel=f"{redis_prefix}socketio")
        elif realtime is not None:
            manager = FanoutManager(realtime)
        else:
            manager = None  # one process: python-socketio's in-memory manager
        origins = list(cors_origins) if isinstance(cors_origins, (list, tuple)) else cors_origins
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            # Same-origin only unless the app lists origins (python-engineio's check).
            cors_allowed_origins=origins,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            max_http_buffer_size=max_message_bytes,
        )
        self._user_connect: Callable[..., Any] | None = None
        self.sio.on("connect", self._connect)

    def route(self) -> Mount:
        """The Starlette mount serving Engine.IO's polling and websocket transports."""
        return Mount(self.path, app=socketio.ASGIApp(self.sio, socketio_path=None))

    async def setup(self) -> None:
        """Run the developer's ``fn(sio, context)`` (once, at start-up)."""
        if self.fn is None:
            return
        context = self.context_factory(None) if self.context_factory else None
        outcome = self.fn(self.sio, context)
        if inspect.isawaitable(outcome):
            await outcome
        registered = self.sio.handlers.get("/", {}).get("connect")
        # ``==``, not ``is``: each ``self._connect`` is a new bound-method object, and
        # chaining our own handler after itself would recurse on every connect.
        if registered is not None and registered != self._connect:
            self._user_connect = registered  # chained after authentication
            self.sio.handlers["/"]["connect"] = self._connect
        self._guard_handlers()

    async def stop(self) -> None:
        """Stop python-socketio's background work: Engine.IO's service task and the
        pub/sub manager's listener (started at the first connection). Neither is stopped
        by python-socketio when the app shuts down; the Redis manager's listener would run
        on, connected, after the app stopped. Bounded like the fan-out's stop."""
        try:
            async with asyncio.timeout(STOP_SECONDS):
                await self.sio.shutdown()
        except TimeoutError:
            log.warning("realtime: Socket.IO's service task still running at stop")
        manager = self.sio.manager
        listener = getattr(manager, "thread", None)
        if isinstance(listener, asyncio.Task) and not await cancel_and_wait(listener, STOP_SECONDS):
            log.error(
                "realtime: Socket.IO's pub/sub listener still running after %s s", STOP_SECONDS
            )
        redis = getattr(manager, "redis", None)
        if redis is not None:
            await close_quietly(redis.aclose(), "closing Socket.IO's Redis client")

    def _guard_handlers(self) -> None:
        """Report what the app's handlers raise (registered by ``fn``) in the socket's own
        context. python-socketio runs each event in a task of its own and lets an
        exception end it: it surfaced, if at all, as asyncio's "Task exception was never
        retrieved" when the task was collected, without the socket's request id or user.
        """
        for namespace, handlers in self.sio.handlers.items():
            for event, handler in list(handlers.items()):
                if namespace == "/" and event == "connect":
                    continue  # ``_connect`` guards the app's connect handler itself
                handlers[event] = _guarded(f"app.webSocket handler `{event}`", event, handler)
        for namespace, instance in self.sio.namespace_handlers.items():
            instance.trigger_event = _guarded(
                f"app.webSocket namespace `{namespace}`", None, instance.trigger_event
            )

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> Any:
        user = await self.authenticate(_handshake(environ, auth))
        required = self.auth_required() if callable(self.auth_required) else self.auth_required
        if user is None and required:
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated")
        await self.sio.save_session(sid, {"user": user})
        if user is not None:
            await self.sio.enter_room(sid, user_channel(user.id))
        if self._user_connect is None:
            return None
        handler = self._user_connect
        accepts_auth = len(inspect.signature(handler).parameters) >= 3
        try:
            outcome = handler(sid, environ, auth) if accepts_auth else handler(sid, environ)
            return await outcome if inspect.isawaitable(outcome) else outcome
        except socketio.exceptions.ConnectionRefusedError:
            raise  # the app's answer, not a failure
        except Exception:
            log.exception("app.webSocket connect handler raised; the socket is refused")
            return False

    async def emit_to_user(self, user_id: Any, event: str, data: Any) -> None:
        """Emit ``event`` to every socket of ``user_id``, on every instance."""
        await self.sio.emit(event, data, room=user_channel(user_id))


def _guarded(owner: str, event: str | None, handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler``, with an exception it raises logged (the log line is the Sentry event,
    with the socket's request id and user) and answered with None (an empty ack)."""

    async def guarded(*args: Any) -> Any:
        try:
            outcome = handler(*args)
            return await outcome if inspect.isawaitable(outcome) else outcome
        except TypeError:
            if event == "disconnect":
                raise  # python-socketio retries a legacy one-argument disconnect handler
            log.exception("%s raised", owner)
        except Exception:
            log.exception("%s raised", owner)
        return None

    return guarded


def _handshake(environ: dict[str, Any], auth: Any) -> HTTPConnection:
    """The handshake request as an ``HTTPConnection``; a token from the ``auth`` payload
    becomes its bearer header (replacing any other), so one Authenticator serves all."""
    scope = dict(environ["asgi.scope"])
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(token, str) and token:
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"authorization"]
        headers.append((b"authorization", f"Bearer {token}".encode("latin-1", "replace")))
        scope["headers"] = headers
    return HTTPConnection(scope)

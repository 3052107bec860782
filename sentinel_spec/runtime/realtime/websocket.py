"""The endpoint of a ``websocket`` declaration: ``fn(websocket, context)`` per connection.

1. The user comes from the app's Authenticator (cookie, bearer header or ``?token=``).
   With ``auth: true`` and no user, the socket is accepted and closed with 4401 before
   ``fn`` runs (closing before the accept would reach the client as an HTTP 403, with no
   close code at all).
2. A signed-in socket is subscribed to ``user:<id>``; with ``?lastId=<id>`` each
   subscription first replays what the socket missed since that id.
3. ``fn`` runs inside a unit of work (``context.session``, committed when it returns);
   it subscribes to more channels with ``context.realtime.subscribe(websocket, ch)``
   and may read and send on ``websocket`` itself.
4. When ``fn`` returns the runtime keeps the socket open, delivering its channels and
   answering a ``"ping"`` text with ``"pong"`` (browsers cannot see protocol pings),
   until the client leaves or falls too far behind.

Heartbeats at the protocol level are the server's: uvicorn pings every socket and
closes one that does not answer in time (``sentinel start`` sets both intervals).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext, suppress
from typing import Any

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from sentinel_spec.runtime.realtime.channels import parse_message_id, user_channel
from sentinel_spec.runtime.realtime.connection import SocketConnection
from sentinel_spec.runtime.realtime.service import CONNECTION_KEY, Realtime

log = logging.getLogger("sentinel.realtime")

UNAUTHENTICATED = 4401
BAD_REQUEST = 4400
SERVER_ERROR = 1011

Authenticate = Callable[[WebSocket], Awaitable[Any]]
ContextFactory = Callable[[WebSocket, Any, Any], Any]
ScopeFactory = Callable[[], AbstractAsyncContextManager[Any]]


async def nobody(websocket: WebSocket) -> None:
    return None


def websocket_route(
    *,
    name: str,
    path: str,
    fn: Callable[..., Any],
    auth: bool,
    realtime: Realtime,
    authenticate: Authenticate = nobody,
    context_factory: ContextFactory | None = None,
    scopes: ScopeFactory | None = None,
) -> WebSocketRoute:
    """A Starlette route serving one ``websocket`` declaration."""
    make_context = context_factory or default_context_factory(name, realtime)
    open_scope = scopes or nullcontext

    async def endpoint(websocket: WebSocket) -> None:
        user = await authenticate(websocket)
        await websocket.accept()
        if auth and user is None:
            await websocket.close(UNAUTHENTICATED, "unauthenticated")
            return
        raw_last = websocket.query_params.get("lastId")
        last_id = parse_message_id(raw_last) if raw_last is not None else None
        if raw_last is not None and last_id is None:
            await websocket.close(BAD_REQUEST, "lastId must be a message id")
            return
        connection = SocketConnection(
            websocket,
            realtime.hub,
            realtime.settings,
            user=user,
            last_id=last_id,
            replay=realtime.replay if realtime.has_replay else None,
        )
        websocket.scope[CONNECTION_KEY] = connection
        try:
            if user is not None:
                await connection.subscribe(user_channel(user.id))
            async with open_scope() as scope:
                await fn(websocket, make_context(websocket, user, scope))
            await _serve(websocket, connection)
        except WebSocketDisconnect:
            pass
        except Exception:
            if connection.closed.is_set():
                return  # dropped (slow, gone) while fn was using the socket
            log.exception("websocket `%s`: fn raised", name)
            connection.drop(SERVER_ERROR, "internal error")
        finally:
            await connection.finish()
            if connection.close_code is None and _open(websocket):
                with suppress(Exception):
                    await websocket.close(1000)

    return WebSocketRoute(path, endpoint, name=f"websocket:{name}")


async def _serve(websocket: WebSocket, connection: SocketConnection) -> None:
    """After fn: read until the client leaves or the connection is dropped.

    Reads in this task, with no watcher task beside it: a dropped connection sends its
    close frame (or is cut), and either way the server's next event for it is the
    disconnect that ends this loop.
    """
    while _open(websocket) and not connection.closed.is_set():
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") == "ping":
            connection.enqueue("pong")


def _open(websocket: WebSocket) -> bool:
    return (
        websocket.client_state == WebSocketState.CONNECTED
        and websocket.application_state == WebSocketState.CONNECTED
    )


def default_context_factory(name: str, realtime: Realtime) -> ContextFactory:
    from sentinel_spec.runtime.context import Context, Entities

    owner = f"websocket `{name}`"

    def make(websocket: WebSocket, user: Any, scope: Any) -> Context:
        return Context(
            request=websocket,  # type: ignore[arg-type]  # an HTTPConnection, like a Request
            request_id=None,
            entities=Entities(owner, {}),
            user=user,
            scope=scope,
            realtime=realtime.bind(scope),
        )

    return make

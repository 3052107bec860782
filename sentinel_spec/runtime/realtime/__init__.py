"""``websocket`` declarations, ``app.webSocket`` (Socket.IO), ``context.realtime`` and
uploads (RUNTIME.md, Realtime; docs/realtime.md).

Modules: ``channels`` (names, ids, frames), ``tables`` (the replay and file tables),
``store`` (replay-table SQL), ``hub`` (this instance's subscriptions), ``fanout``
(PostgreSQL NOTIFY / Redis / local), ``connection`` (a socket's bounded queue),
``service`` (``Realtime``: publish, subscribe and its rules), ``websocket`` (the
endpoint), ``socket_io`` (python-socketio), ``uploads/`` (``POST /api/upload``).

``install`` fills ``builder.services.publisher`` with the app's ``Realtime`` (a
``PerCall[Publisher]``: ``bind(scope)`` is ``context.realtime``), mounts the ``websocket``
rows of the route plan, the Socket.IO server and the upload endpoint, and starts and
stops the fan-out with the app. Keep this module cheap to import: everything heavy
loads inside ``install``, and only for apps that declare realtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection
    from starlette.websockets import WebSocket

    from sentinel_spec.runtime.state import AppBuilder


def _wanted(builder: AppBuilder) -> bool:
    decl = builder.decl
    return bool(decl.websockets or decl.socket_io or decl.uploads or decl.realtime)


def install(builder: AppBuilder) -> None:
    if not _wanted(builder):
        return
    from sentinel_spec.contract.routes import plan
    from sentinel_spec.runtime.db.urls import libpq_url
    from sentinel_spec.runtime.realtime.service import Realtime
    from sentinel_spec.runtime.realtime.settings import (
        Heartbeat,
        RealtimeConfigError,
        RealtimeSettings,
    )
    from sentinel_spec.runtime.realtime.websocket import websocket_route
    from sentinel_spec.runtime.settings import SettingsError

    decl, state, environ = builder.decl, builder.state, builder.settings.environ
    try:
        settings = RealtimeSettings.from_env(environ, decl.name)
        heartbeat = Heartbeat.from_env(environ)
    except RealtimeConfigError as error:
        raise SettingsError([str(error)]) from None
    database: Any = builder.database
    engine = getattr(database, "engine", None)
    realtime = Realtime(
        settings=settings,
        engine=engine,
        database_url=libpq_url(database.url) if engine is not None else None,
        redis_url=environ.get("REDIS_URL", "").strip() or None,
        authorize=decl.realtime.authorize_fn if decl.realtime else None,
        scopes=state.unit_of_work,
    )
    builder.services.publisher = realtime

    from sentinel_spec.runtime.observability.context import bind_user

    async def authenticate(conn: HTTPConnection) -> Any:
        user = await state.current_user(conn)
        if user is not None:  # the socket's log lines and Sentry events name the user
            bind_user(user)
        return user

    def context_factory(name: str) -> Any:
        owner = f"websocket `{name}`"

        def make(websocket: WebSocket, user: Any, scope: Any) -> Any:
            return state.context(websocket, owner, {}, user, scope)  # type: ignore[arg-type]

        return make

    sockets = {ws.name: ws for ws in decl.websockets}
    planned_rows = plan(decl)
    for planned in planned_rows:
        if planned.kind != "websocket":
            continue
        ws = sockets[planned.name]
        builder.add_routes(
            [
                websocket_route(
                    name=ws.name,
                    path=planned.path,
                    fn=ws.fn,
                    auth=ws.auth,
                    realtime=realtime,
                    authenticate=authenticate,
                    context_factory=context_factory(ws.name),
                    scopes=state.unit_of_work,
                )
            ]
        )

    socket_server = None
    if decl.socket_io is not None:
        from sentinel_spec.runtime.middleware.cors import parse_origins
        from sentinel_spec.runtime.realtime.socket_io import SocketIOServer

        origins = parse_origins(builder.settings.resolve(decl.cors_origins))
        socket_server = SocketIOServer(
            fn=decl.socket_io.fn,
            path=decl.socket_io.path,
            realtime=realtime,
            authenticate=authenticate,
            # Refused without a session whenever the app can sign anyone in (read at
            # connect time: features installed after this one may add the authenticator).
            auth_required=lambda: decl.auth is not None or state.services.authenticator is not None,
            redis_url=realtime.redis_url,
            # The heartbeat uvicorn gives native websockets (sentinel start / dev).
            ping_interval=heartbeat.interval_seconds,
            ping_timeout=heartbeat.timeout_seconds,
            redis_prefix=settings.redis_prefix,
            cors_origins=list(origins) or None,
            context_factory=lambda scope: state.context(None, "app.webSocket fn", {}, None, scope),
        )
        builder.add_routes([socket_server.route()])
        realtime.socket_io = socket_server

    # The upload endpoint is the plan's ``upload`` row (so openapi.json and `sentinel
    # routes` list what is mounted).
    if decl.uploads is not None and any(p.kind == "upload" for p in planned_rows):
        from sentinel_spec.runtime.realtime.uploads import upload_route
        from sentinel_spec.runtime.realtime.uploads.endpoint import MULTIPART_OVERHEAD

        builder.add_routes([upload_route(decl.uploads, state, realtime, environ)])
        # The upload endpoint counts its own bytes (and refuses mid-stream itself): the
        # server's raw body limit must not cut it shorter than app.uploads.maxSize.
        body_limit = builder.middleware.get("bodyLimit")
        if body_limit is not None:
            overrides = dict(cast("dict[str, int]", body_limit.kwargs.get("overrides") or {}))
            overrides[decl.uploads.path] = decl.uploads.max_bytes + MULTIPART_OVERHEAD
            body_limit.kwargs["overrides"] = overrides

    async def start() -> None:
        await realtime.start()
        if socket_server is not None:
            await socket_server.setup()

    async def stop() -> None:
        if socket_server is not None:
            await socket_server.stop()
        await realtime.stop()

    builder.on_startup(start)
    builder.on_shutdown(stop)

    async def healthy() -> bool:
        fanout = realtime.fanout
        return fanout is not None and fanout.connected.is_set()

    builder.add_health_check("realtime", healthy, critical=False)

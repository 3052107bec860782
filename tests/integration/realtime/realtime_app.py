"""A small Starlette app serving the realtime feature, for the realtime tests.

Phase-1 stand-in for a generated app: a test Authenticator (tokens ``alice``/``bob``/...
map to users; cookie ``session``, ``Authorization: Bearer`` or ``?token=``) until the
auth feature's real one lands. ``python -m tests.integration.realtime.realtime_app PORT``
serves it with uvicorn, reading DATABASE_URL / REDIS_URL / REALTIME_* from the
environment, so tests can run two instances.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocket

from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.db.urls import libpq_url
from sentinel_spec.runtime.realtime.service import Realtime, SubscriptionRefused
from sentinel_spec.runtime.realtime.settings import RealtimeSettings
from sentinel_spec.runtime.realtime.websocket import websocket_route


@dataclass(frozen=True)
class User:
    id: str
    email: str


USERS = {name: User(id=f"u-{name}", email=f"{name}@example.test") for name in ("alice", "bob")}
# Workspace memberships the authorize hook checks.
MEMBERS = {"w1": {"u-alice"}, "w2": {"u-bob"}}


class TokenAuthenticator:
    """Stand-in Authenticator (the Protocol of INTERFACES.md): token = a user name."""

    async def authenticate(self, conn: HTTPConnection) -> User | None:
        token = conn.cookies.get("session") or conn.query_params.get("token")
        header = conn.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token = header[7:].strip()
        return USERS.get(token or "")


async def can_subscribe(user: Any, channel: str, context: Any) -> bool:
    if channel.startswith("workspace:"):
        return user is not None and user.id in MEMBERS.get(channel.split(":", 1)[1], set())
    return channel.startswith("public.")


async def notifications(websocket: WebSocket, context: Any) -> None:
    for channel in websocket.query_params.get("channels", "").split(","):
        if channel:
            try:
                await context.realtime.subscribe(websocket, channel)
            except SubscriptionRefused:
                await websocket.send_json({"refused": channel})
    await websocket.send_json({"ready": True, "user": getattr(context.user, "id", None)})


def build(environ: dict[str, str] | None = None, **settings: Any) -> Starlette:
    env = dict(os.environ if environ is None else environ)
    database = Database(env["DATABASE_URL"]) if env.get("DATABASE_URL") else None
    realtime = Realtime(
        settings=RealtimeSettings(**settings) if settings else RealtimeSettings.from_env(env),
        engine=database.engine if database else None,
        database_url=libpq_url(env["DATABASE_URL"]) if database else None,
        redis_url=env.get("REDIS_URL") or None,
        authorize=can_subscribe,
        scopes=database.scope if database else None,
    )
    authenticator = TokenAuthenticator()

    class Rollback(Exception):
        pass

    async def publish(request: Request) -> JSONResponse:
        """Publish ``messages`` on ``channel`` in one unit of work; ``fail`` rolls it back."""
        body = await request.json()
        if database is None:
            ids = [await realtime.publish(body["channel"], m) for m in body["messages"]]
            return JSONResponse({"ids": ids})
        try:
            async with database.scope() as scope:
                channel = body["channel"]
                ids = [await realtime.publish_in(scope, channel, m) for m in body["messages"]]
                if body.get("fail"):
                    raise Rollback
        except Rollback:
            return JSONResponse({"rolledBack": ids}, status_code=409)
        return JSONResponse({"ids": ids})

    async def stats(request: Request) -> JSONResponse:
        return JSONResponse(
            {"subscribers": realtime.hub.subscriber_count, "backend": realtime.backend}
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await realtime.start()
        try:
            yield
        finally:
            await realtime.stop()
            if database is not None:
                await database.dispose()

    app = Starlette(
        routes=[
            websocket_route(
                name="notifications",
                path="/ws/notifications",
                fn=notifications,
                auth=True,
                realtime=realtime,
                authenticate=authenticator.authenticate,
                scopes=database.scope if database else None,
            ),
            Route("/publish", publish, methods=["POST"]),
            Route("/stats", stats),
        ],
        lifespan=lifespan,
    )
    app.state.realtime = realtime
    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(build(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")

"""A whole app built by ``create_app`` from an ``AppDecl`` with a websocket, Socket.IO and
uploads, as a generated server would be; ``install`` wires realtime in.

Until the auth feature lands on main, a stand-in Authenticator is installed through
``create_app(features=...)`` (tokens are user names; see realtime_app.TokenAuthenticator).
``python -m tests.integration.realtime.decl_app PORT`` serves it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import sqlalchemy as sa
from starlette.applications import Starlette

from sentinel_spec.contract import declarations as d
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.realtime.tables import define_realtime_tables
from sentinel_spec.runtime.state import AppBuilder
from tests.integration.realtime.realtime_app import (
    MEMBERS,
    TokenAuthenticator,
    can_subscribe,
    notifications,
)

metadata = sa.MetaData()
define_realtime_tables(metadata)


def register(sio: Any, context: Any) -> None:
    @sio.on("connect")
    async def connected(sid: str, environ: dict[str, Any]) -> None:
        session = await sio.get_session(sid)
        await sio.emit("ready", {"user": session["user"].id}, to=sid)

    @sio.on("shout")
    async def shout(sid: str, data: Any) -> None:
        session = await sio.get_session(sid)
        await sio.emit("shouted", data, room=f"user:{session['user'].id}")


async def authorize_upload(request: Any, fields: dict[str, str], context: Any) -> dict[str, Any]:
    workspace = fields.get("workspaceId", "")
    if context.user.id not in MEMBERS.get(workspace, set()):
        raise HttpError(403, "not a member of this workspace")
    quota = int(fields["quota"]) if fields.get("quota", "").isdigit() else None
    return {"workspaceId": workspace, **({"maxBytes": quota} if quota is not None else {})}


async def on_upload(file: dict[str, Any], context: Any) -> dict[str, Any]:
    await context.realtime.publish(f"workspace:{file['attributes']['workspaceId']}", file)
    return {"evidence": True}


def decl(max_bytes: int = 60 << 20) -> d.AppDecl:
    return d.AppDecl(
        name="RealtimeTest",
        title="Realtime test",
        websockets=(d.WebSocket("notifications", "/ws/notifications", notifications, auth=True),),
        socket_io=d.SocketIODecl(fn=register, path="/socket.io"),
        realtime=d.RealtimeDecl(authorize_fn=can_subscribe),
        uploads=d.UploadsDecl(
            max_bytes=max_bytes, authorize_fn=authorize_upload, on_upload_fn=on_upload
        ),
        metadata=metadata,
    )


def install_test_auth(builder: AppBuilder) -> None:
    builder.services.authenticator = TokenAuthenticator()


def build(environ: dict[str, str] | None = None, max_bytes: int = 60 << 20) -> Starlette:
    env = dict(os.environ if environ is None else environ)
    return create_app(decl(max_bytes), environ=env, dotenv=None, features=[install_test_auth])


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(build(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")

"""The realtime test app: a whole app built by ``create_app`` from an ``AppDecl``, as a
generated server would be, with real auth (email + password, verification mails over
SMTP), a ``websocket``, Socket.IO, ``app.realtime`` and ``app.uploads``.

Sessions come from the auth routes (``accounts.signed_in``: sign up, follow the link the
SMTP server received, log in). Two apis help the tests: ``POST /publish`` publishes in
the call's unit of work (``fail`` rolls it back) and ``GET /stats`` counts subscribers.
``python -m tests.integration.realtime.decl_app PORT`` serves it (settings from the
environment: DATABASE_URL, SMTP_*, REDIS_URL, REALTIME_*, UPLOAD_*), so tests can run
two instances.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.websockets import WebSocket

from sentinel_spec.contract import declarations as d
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.auth.tables import define_auth_tables
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.realtime.service import SubscriptionRefused
from sentinel_spec.runtime.realtime.tables import define_realtime_tables

SECRET_KEY = "realtime-test-secret-key-0123456789-abcdefghij"
APP_URL = "https://realtime.test"
VERIFY_PATH = "/verify"
# Workspace memberships the authorize hooks check, by email (user ids are made at signup).
MEMBERS = {"w1": {"alice@example.test"}, "w2": {"bob@example.test"}}


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class User(Base):
    __tablename__ = "User"

    id: Mapped[str] = mapped_column(
        sa.String(), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    email: Mapped[str] = mapped_column(sa.String(), unique=True)
    isEmailVerified: Mapped[bool] = mapped_column(sa.Boolean(), default=False)


metadata = Base.metadata
define_auth_tables(metadata, User.__table__)  # type: ignore[arg-type]
define_realtime_tables(metadata)


def member_of(user: Any, workspace: str) -> bool:
    return user is not None and user.email in MEMBERS.get(workspace, set())


async def can_subscribe(user: Any, channel: str, context: Any) -> bool:
    if channel.startswith("workspace:"):
        return member_of(user, channel.split(":", 1)[1])
    return channel.startswith("public.")


async def notifications(websocket: WebSocket, context: Any) -> None:
    for channel in websocket.query_params.get("channels", "").split(","):
        if channel:
            try:
                await context.realtime.subscribe(websocket, channel)
            except SubscriptionRefused:
                await websocket.send_json({"refused": channel})
    await websocket.send_json({"ready": True, "user": getattr(context.user, "id", None)})


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
    """``quota``: the largest file (maxBytes); ``totalQuota``: what the workspace may
    store in all, checked by ``on_upload`` once the file's size is known."""
    workspace = fields.get("workspaceId", "")
    if not member_of(context.user, workspace):
        raise HttpError(403, "not a member of this workspace")
    attributes: dict[str, Any] = {"workspaceId": workspace}
    if fields.get("quota", "").isdigit():
        attributes["maxBytes"] = int(fields["quota"])
    if fields.get("totalQuota", "").isdigit():
        attributes["totalQuota"] = int(fields["totalQuota"])
    return attributes


async def on_upload(file: dict[str, Any], context: Any) -> dict[str, Any]:
    workspace = file["attributes"]["workspaceId"]
    total_quota = file["attributes"].get("totalQuota")
    if total_quota is not None:  # this file's row is in the sum: same transaction
        used = await context.session.scalar(
            sa.text(
                "SELECT coalesce(sum(size_bytes), 0) FROM sentinel_files "
                "WHERE attributes->>'workspaceId' = :workspace"
            ),
            {"workspace": workspace},
        )
        if used > total_quota:
            raise HttpError(413, "the workspace's storage quota is used up")
    await context.realtime.publish(f"workspace:{workspace}", file)
    return {"evidence": True}


async def publish(request: Request, context: Any) -> dict[str, Any]:
    """Publish ``messages`` on ``channel`` in this call's unit of work; ``fail`` rolls it
    back (the 409 leaves the transaction, so nothing is delivered)."""
    body = await request.json()
    ids = [await context.realtime.publish(body["channel"], m) for m in body["messages"]]
    if body.get("fail"):
        raise HttpError(409, "rolled back on purpose")
    return {"ids": ids}


def realtime_of(app: Starlette) -> Any:
    """The app's ``Realtime`` (what ``context.realtime`` is bound from)."""
    return app.state.sentinel.services.publisher


async def stats(request: Request, context: Any) -> dict[str, Any]:
    realtime = realtime_of(request.app)
    return {"subscribers": realtime.hub.subscriber_count, "backend": realtime.backend}


def decl(max_bytes: int = 60 << 20) -> d.AppDecl:
    return d.AppDecl(
        name="RealtimeTest",
        title="Realtime test",
        apis=(
            d.Api("publish", "POST", "/publish", publish),
            d.Api("stats", "GET", "/stats", stats),
        ),
        websockets=(d.WebSocket("notifications", "/ws/notifications", notifications, auth=True),),
        socket_io=d.SocketIODecl(fn=register, path="/socket.io"),
        realtime=d.RealtimeDecl(authorize_fn=can_subscribe),
        uploads=d.UploadsDecl(
            max_bytes=max_bytes, authorize_fn=authorize_upload, on_upload_fn=on_upload
        ),
        auth=d.AuthDecl(
            user_model=User,
            on_auth_failed_redirect_to="/login",
            email=d.EmailAuthDecl(
                from_email="noreply@realtime.test", email_verification_path=VERIFY_PATH
            ),
        ),
        email_sender=d.EmailSenderDecl(provider="SMTP"),
        metadata=metadata,
    )


def environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The app's settings: the auth key and origin its mails link to, then ``environ``."""
    return {
        "AUTH_SECRET_KEY": SECRET_KEY,
        "APP_URL": APP_URL,
        "SENTINEL_ENV": "production",
        "EMAIL_RETRY_BASE_SECONDS": "0.05",
        **(dict(os.environ) if environ is None else environ),
    }


def build(environ: dict[str, str] | None = None, max_bytes: int = 60 << 20) -> Starlette:
    return create_app(decl(max_bytes), environ=environment(environ), dotenv=None)


if __name__ == "__main__":
    import uvicorn

    from sentinel_spec.runtime.realtime.settings import Heartbeat

    uvicorn.run(
        build(),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        **Heartbeat.from_env(os.environ).uvicorn_options(),  # as `sentinel start` serves it
    )

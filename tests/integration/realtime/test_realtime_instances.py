"""Two server processes of a whole app (``create_app`` from an ``AppDecl``) on one
PostgreSQL, and on one Redis: a publish on one reaches the websockets and the Socket.IO
clients (python-socketio's AsyncClient) of both.

The session comes from the real auth routes of instance one (``accounts.signed_in``) and
is good on both: sessions live in the shared database.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import socketio
import websockets

from tests.integration.realtime.accounts import Account, signed_in
from tests.integration.realtime.servers import instance_processes
from tests.mail_servers import SmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

APP = "tests.integration.realtime.decl_app"


async def _cross_instance(env: dict[str, str], smtp: SmtpServer) -> None:
    async with instance_processes(2, {**env, **smtp.env()}, module=APP, ready="/stats") as (
        one,
        two,
    ):
        alice = await signed_in(one, smtp, "alice")
        sockets = []
        for address in (one, two):
            ws = await websockets.connect(
                f"ws://{address}/ws/notifications?token={alice.session}&channels=workspace:w1"
            )
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["ready"] is True
            sockets.append(ws)
        clients = []
        inboxes: list[asyncio.Queue[Any]] = []
        for address in (one, two):
            client = socketio.AsyncClient()
            inbox: asyncio.Queue[Any] = asyncio.Queue()
            client.on("shouted", inbox.put)
            client.on("ready", inbox.put)
            await client.connect(
                f"http://{address}", auth={"token": alice.session}, transports=["websocket"]
            )
            assert await asyncio.wait_for(inbox.get(), 10) == {"user": alice.id}
            clients.append(client)
            inboxes.append(inbox)
        try:
            # A websocket publish through instance one's unit of work...
            await _upload_publishes(one, alice)
            for ws in sockets:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert frame["channel"] == "workspace:w1"
                assert frame["message"]["filename"] == "note.txt"
            # ...and a Socket.IO emit to alice's room from instance two reaches both.
            await clients[1].emit("shout", {"hello": "everyone"})
            for inbox in inboxes:
                assert await asyncio.wait_for(inbox.get(), 10) == {"hello": "everyone"}
        finally:
            for ws in sockets:
                await ws.close()
            for client in clients:
                await client.disconnect()


async def _upload_publishes(address: str, alice: Account) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://{address}/api/upload",
            headers={"Authorization": f"Bearer {alice.session}"},
            data={"workspaceId": "w1"},
            files={"file": ("note.txt", b"plain evidence text\n", "text/plain")},
        )
    assert response.status_code == 201, response.text


async def test_two_instances_on_postgres(realtime_db: str, smtp: SmtpServer, tmp_path: Any) -> None:
    await _cross_instance(
        {"DATABASE_URL": realtime_db, "REDIS_URL": "", "UPLOAD_DIR": str(tmp_path)}, smtp
    )


async def test_two_instances_on_redis(
    realtime_db: str, smtp: SmtpServer, redis_url: str, prefix: str, tmp_path: Any
) -> None:
    await _cross_instance(
        {
            "DATABASE_URL": realtime_db,
            "REDIS_URL": redis_url,
            "REALTIME_REDIS_PREFIX": prefix,
            "UPLOAD_DIR": str(tmp_path),
        },
        smtp,
    )


async def test_socketio_refuses_a_socket_without_session(
    realtime_db: str, smtp: SmtpServer, tmp_path: Any
) -> None:
    env = {"DATABASE_URL": realtime_db, "REDIS_URL": "", "UPLOAD_DIR": str(tmp_path), **smtp.env()}
    async with instance_processes(1, env, module=APP, ready="/stats") as (address,):
        alice = await signed_in(address, smtp, "alice")
        forged = alice.session[:-4] + ("AAAA" if not alice.session.endswith("AAAA") else "BBBB")
        for auth in (None, {"token": "nobody"}, {"token": forged}, {"userId": alice.id}):
            client = socketio.AsyncClient()
            errors: list[Any] = []
            client.on("connect_error", errors.append)
            with pytest.raises(socketio.exceptions.ConnectionError):
                await client.connect(f"http://{address}", auth=auth, transports=["websocket"])
            assert errors == [{"message": "unauthenticated"}]

"""Live notifications (issue 11, item 4) with clients nobody here wrote: SentinelIQ
served by uvicorn, users signed up and in over real HTTP, a `websockets` client on
/ws/notifications receiving each new alert and incident change the moment the action
commits, and nothing for an action that failed or for a workspace one is not in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import SENTINELIQ_TEST_ENV
from tests.integration.realtime.servers import serving

from .conftest import Users

pytestmark = pytest.mark.postgres


@pytest.fixture
async def served(
    sentineliq: ModuleType, sentineliq_db: str, smtp: Any
) -> AsyncIterator[tuple[str, httpx.AsyncClient, Users]]:
    from sentinel_spec.runtime.app import create_app

    environ = {"DATABASE_URL": sentineliq_db, **SENTINELIQ_TEST_ENV, **smtp.env()}
    app = create_app(sentineliq.APP, environ=environ, dotenv=None)
    async with (
        serving(app) as address,
        httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as client,
    ):
        yield address, client, Users(client, smtp, sentineliq_db)


async def ok(client: httpx.AsyncClient, op: str, args: Any, headers: dict[str, str]) -> Any:
    response = await client.post(f"/operations/{op}", json=args, headers=headers)
    assert response.status_code == 200, f"{op}: {response.text}"
    return response.json()


async def add_member(url: str, user_id: str, workspace_id: str, role: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    'INSERT INTO "WorkspaceMember" ("userId", "workspaceId", role) '
                    "VALUES (:u, :w, CAST(:r AS role))"
                ),
                {"u": user_id, "w": workspace_id, "r": role},
            )
    finally:
        await engine.dispose()


async def next_frame(ws: Any, timeout: float = 5) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    return frame


async def nothing_within(ws: Any, seconds: float) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), seconds)


async def test_members_see_alerts_and_incident_changes_live(
    served: tuple[str, httpx.AsyncClient, Users],
) -> None:
    address, client, users = served
    ada = await users.create("ada@example.com")
    grace = await users.create("grace@example.com")
    eve = await users.create("eve@example.com")
    ws_id = (await ok(client, "create-workspace", {"name": "Acme"}, ada))["id"]
    grace_id = await users.user_id(grace)
    await add_member(users.url, grace_id, ws_id, "VIEWER")
    url = f"ws://{address}/ws/notifications"

    async with (
        websockets.connect(url, additional_headers=grace) as grace_ws,
        websockets.connect(url, additional_headers=eve) as eve_ws,
    ):
        assert await next_frame(grace_ws) == {"type": "hello", "unread": 0}
        assert await next_frame(eve_ws) == {"type": "hello", "unread": 0}

        alert = await ok(
            client,
            "create-alert",
            {"workspaceId": ws_id, "title": "Beaconing host", "source": "edr", "severity": "HIGH"},
            ada,
        )
        frame = await next_frame(grace_ws)
        assert frame["channel"] == f"user:{grace_id}" and frame["id"]
        message = frame["message"]
        assert message["type"] == "notification"
        assert message["notification"]["eventType"] == "alert_created"
        assert message["notification"]["metadata"]["alertId"] == alert["id"]
        assert message["notification"]["title"] == "New high alert: Beaconing host"

        # A failed action notifies nobody: the incident names an unknown alert.
        failed = await client.post(
            "/operations/create-incident",
            json={"workspaceId": ws_id, "title": "Nope", "alertIds": ["missing"]},
            headers=ada,
        )
        assert failed.status_code == 404
        # A viewer may not raise alerts, and so notifies nobody either.
        viewer = await client.post(
            "/operations/create-alert",
            json={"workspaceId": ws_id, "title": "mine", "source": "x"},
            headers=grace,
        )
        assert viewer.status_code == 403
        await nothing_within(grace_ws, 0.5)

        incident = await ok(
            client,
            "create-incident",
            {"workspaceId": ws_id, "title": "Intrusion", "alertIds": [alert["id"]]},
            ada,
        )
        created = (await next_frame(grace_ws))["message"]["notification"]
        assert created["eventType"] == "incident_created"
        assert created["metadata"]["incidentId"] == incident["id"]

        await ok(client, "update-incident", {"id": incident["id"], "status": "RESOLVED"}, ada)
        resolved = (await next_frame(grace_ws))["message"]["notification"]
        assert resolved["eventType"] == "incident_resolved" and resolved["type"] == "SUCCESS"

        await ok(client, "update-alert-status", {"id": alert["id"], "status": "RESOLVED"}, ada)
        status = (await next_frame(grace_ws))["message"]["notification"]
        assert status["metadata"] == {"alertId": alert["id"], "from": "NEW", "to": "RESOLVED"}

        # Reading one updates every open tab's badge.
        await ok(client, "mark-as-read", {"id": status["id"]}, grace)
        badge = (await next_frame(grace_ws))["message"]
        assert badge == {"type": "unread_count", "count": 3}

        # Eve is in no workspace: nothing reached her, and the ids mean nothing to her.
        await nothing_within(eve_ws, 0.3)
        stranger = await client.post(
            "/operations/update-incident",
            json={"id": incident["id"], "status": "OPEN"},
            headers=eve,
        )
        assert stranger.status_code == 404


async def test_a_socket_without_a_session_is_closed_4401(
    served: tuple[str, httpx.AsyncClient, Users],
) -> None:
    address, _, _ = served
    async with websockets.connect(f"ws://{address}/ws/notifications?token=forged") as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

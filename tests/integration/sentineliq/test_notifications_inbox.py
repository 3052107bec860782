"""A user's notifications over HTTP: written by the bus when an alert is raised, read,
counted, marked and deleted only by their owner; bad arguments answered 400."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from .conftest import Users

pytestmark = pytest.mark.postgres

AppAndUsers = tuple[httpx.AsyncClient, Users]


async def call(client: httpx.AsyncClient, op: str, args: Any, headers: dict[str, str]) -> Any:
    return await client.post(f"/operations/{op}", json=args, headers=headers)


async def workspace_of(client: httpx.AsyncClient, owner: dict[str, str], name: str) -> str:
    created = await call(client, "create-workspace", {"name": name}, owner)
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


async def add_member(url: str, user_id: str, workspace_id: str, role: str) -> None:
    """Membership straight in the table: invitations are platform's, tested there."""
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


async def test_an_alert_notifies_the_members_and_only_they_read_it(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    grace = await users.create("grace@example.com")
    ws = await workspace_of(client, ada, "Acme")
    alert = await call(
        client,
        "create-alert",
        {"workspaceId": ws, "title": "Phishing kit", "source": "mail", "severity": "HIGH"},
        ada,
    )
    assert alert.status_code == 200, alert.text

    listed = (await call(client, "get-notifications", None, ada)).json()
    assert listed["total"] == 1 and listed["hasMore"] is False
    (note,) = listed["notifications"]
    assert note["eventType"] == "alert_created"
    assert note["type"] == "ERROR"  # HIGH alerts notify as errors
    assert note["title"] == "New high alert: Phishing kit"
    assert note["metadata"]["alertId"] == alert.json()["id"]
    assert note["isRead"] is False
    assert (await call(client, "get-unread-count", None, ada)).json() == 1

    # Grace is no member: she got nothing, and Ada's notification is a 404 to her.
    assert (await call(client, "get-notifications", None, grace)).json()["total"] == 0
    for op in ("mark-as-read", "delete-notification"):
        stranger = await call(client, op, {"id": note["id"]}, grace)
        assert stranger.status_code == 404, stranger.text

    read = await call(client, "mark-as-read", {"id": note["id"]}, ada)
    assert read.status_code == 200 and read.json()["isRead"] is True
    assert read.json()["readAt"] is not None
    assert (await call(client, "get-unread-count", None, ada)).json() == 0
    unread_only = await call(client, "get-notifications", {"isRead": False}, ada)
    assert unread_only.json()["total"] == 0

    deleted = await call(client, "delete-notification", {"id": note["id"]}, ada)
    assert deleted.json() == {"success": True}
    assert (await call(client, "get-notifications", None, ada)).json()["total"] == 0


async def test_mark_all_and_delete_all_touch_only_the_callers_rows(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    grace = await users.create("grace@example.com")
    ws = await workspace_of(client, ada, "Acme")
    other = await workspace_of(client, grace, "Other")  # one workspace each on the Free plan
    await add_member(users.url, await users.user_id(ada), other, "MEMBER")
    for workspace, title in ((ws, "a"), (ws, "b"), (other, "c")):
        created = await call(
            client, "create-alert", {"workspaceId": workspace, "title": title, "source": "s"}, ada
        )
        assert created.status_code == 200, created.text

    marked = await call(client, "mark-all-as-read", {"workspaceId": ws}, ada)
    assert marked.json() == {"updated": 2}
    assert (await call(client, "get-unread-count", None, ada)).json() == 1
    removed = await call(client, "delete-all-notifications", {"workspaceId": other}, ada)
    assert removed.json() == {"deleted": 1}
    page = (await call(client, "get-notifications", {"limit": 1}, ada)).json()
    assert page["total"] == 2 and page["hasMore"] is True and len(page["notifications"]) == 1


async def test_bad_arguments_are_400_and_anonymous_is_401(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    bad = await call(client, "get-notifications", {"limit": 0, "type": "LOUD"}, ada)
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"limit", "type"}
    extra = await call(client, "mark-as-read", {"id": "x", "userId": "someone"}, ada)
    assert extra.status_code == 400
    assert (await client.post("/operations/get-notifications")).status_code == 401


async def test_the_notification_emails_have_previews(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    single = await client.get(
        "/api/email-preview", params={"template": "notification", "format": "text"}
    )
    assert single.status_code == 200, single.text
    assert "New high alert: Beaconing host" in single.text
    digest = await client.get("/api/email-preview", params={"template": "notification_digest"})
    assert digest.status_code == 200, digest.text
    assert "Incident resolved: Intrusion" in digest.text and "2 notifications" in digest.text

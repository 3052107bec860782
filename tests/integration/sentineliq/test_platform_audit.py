"""The audit log over HTTP: a workspace's entries newest first by keyset, filters, one
resource's history, CSV and JSON exports (audited themselves, formula cells defused),
and the administrators' view across workspaces."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .platform_helpers import AppAndUsers, audit_rows, call, create_admin, make_team, ok, sql

pytestmark = pytest.mark.postgres


async def _seed(users, workspace_id: str, user_id: str, n: int) -> None:  # type: ignore[no-untyped-def]
    await sql(
        users.url,
        """INSERT INTO "AuditLog" ("workspaceId", "userId", action, resource, "resourceId",
               description, "createdAt")
           SELECT :w, :u, 'ALERT_CREATED', 'alert', 'a' || g, '=HYPERLINK("x")',
                  now() - g * interval '1 minute'
           FROM generate_series(1, :n) g""",
        w=workspace_id,
        u=user_id,
        n=n,
    )


async def test_pages_by_keyset_with_filters(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    await _seed(users, ws, team.ids["MEMBER"], 7)
    seen: list[int] = []
    cursor = None
    while True:
        args = {"workspaceId": ws, "action": "ALERT_CREATED", "limit": 3}
        if cursor:
            args["cursor"] = cursor
        page = await ok(client, "get-audit-logs", args, team["ADMIN"])
        seen += [e["id"] for e in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and len(set(seen)) == 7
    newest = await ok(client, "get-audit-logs", {"workspaceId": ws, "limit": 1}, team["ADMIN"])
    assert newest["items"][0]["action"] == "WORKSPACE_CREATED"  # the create is the newest
    assert newest["items"][0]["userEmail"] == "owner@example.com"
    by_user = await ok(
        client, "get-audit-logs", {"workspaceId": ws, "userId": team.ids["MEMBER"]}, team["OWNER"]
    )
    assert len(by_user["items"]) == 7
    history = await ok(
        client,
        "get-audit-logs-by-resource",
        {"workspaceId": ws, "resource": "alert", "resourceId": "a3"},
        team["ADMIN"],
    )
    assert [e["resourceId"] for e in history["items"]] == ["a3"]
    unknown = await ok(
        client, "get-audit-logs", {"workspaceId": ws, "action": "NOPE"}, team["ADMIN"]
    )
    assert unknown == {"items": [], "nextCursor": None}
    for bad in ({"action": "no"}, {"cursor": "garbage"}, {"limit": 0}, {"since": "yesterday"}):
        response = await call(client, "get-audit-logs", {"workspaceId": ws, **bad}, team["ADMIN"])
        assert response.status_code == 400, bad
    # Another workspace's rows never show.
    other = await ok(client, "create-workspace", {"name": "Other"}, team["STRANGER"])
    await _seed(users, other["id"], team.ids["STRANGER"], 2)
    mine = await ok(client, "get-audit-logs", {"workspaceId": ws, "limit": 200}, team["ADMIN"])
    assert all(e["workspaceId"] == ws for e in mine["items"])


async def test_exports_csv_and_json(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    await _seed(users, ws, team.ids["MEMBER"], 3)
    exported = await ok(
        client,
        "export-audit-logs",
        {"workspaceId": ws, "format": "csv", "action": "ALERT_CREATED"},
        team["ADMIN"],
    )
    assert exported["contentType"].startswith("text/csv") and exported["rows"] == 3
    assert exported["filename"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(exported["content"])))
    assert len(rows) == 3 and rows[0]["userEmail"] == "member@example.com"
    assert rows[0]["description"].startswith("'=")  # no formula runs in a spreadsheet
    as_json = await ok(
        client, "export-audit-logs", {"workspaceId": ws, "format": "json"}, team["OWNER"]
    )
    items = json.loads(as_json["content"])
    assert {i["action"] for i in items} >= {"ALERT_CREATED", "WORKSPACE_CREATED", "DATA_EXPORTED"}
    exports = await audit_rows(users.url, "DATA_EXPORTED")
    assert [e.metadata["format"] for e in exports] == ["csv", "json"]
    assert exports[0].metadata["rows"] == 3
    bad = await call(
        client, "export-audit-logs", {"workspaceId": ws, "format": "xml"}, team["ADMIN"]
    )
    assert bad.status_code == 400
    member = await call(client, "export-audit-logs", {"workspaceId": ws}, team["MEMBER"])
    assert member.status_code == 403


async def test_administrators_see_every_workspace(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    refused = await call(client, "get-all-audit-logs-for-admin", {}, team["OWNER"])
    assert refused.status_code == 403
    admin, _ = await create_admin(users, "root@example.com")
    everything = await ok(client, "get-all-audit-logs-for-admin", {"limit": 200}, admin)
    actions = {e["action"] for e in everything["items"]}
    assert {"USER_LOGIN", "WORKSPACE_CREATED"} <= actions
    one = await ok(
        client,
        "get-all-audit-logs-for-admin",
        {"workspaceId": team.workspace_id, "action": "WORKSPACE_CREATED"},
        admin,
    )
    assert len(one["items"]) == 1


async def test_each_filter_and_their_mix(app_and_users: AppAndUsers) -> None:
    """Every filter narrows the page (each set of filters is its own cached statement)."""
    client, users = app_and_users
    team = await make_team(client, users)
    ws, admin = team.workspace_id, await users.user_id(team["ADMIN"])
    await _seed(users, ws, admin, 5)  # 1 to 5 minutes ago, by the admin, on "alert"

    async def items(**filters: object) -> list[dict[str, object]]:
        page = await ok(client, "get-audit-logs", {"workspaceId": ws, **filters}, team["ADMIN"])
        return list(page["items"])

    everything = await items()
    assert len(everything) > 5
    assert {i["resource"] for i in await items(resource="alert")} == {"alert"}
    assert len(await items(resource="alert")) == 5
    assert {i["userId"] for i in await items(userId=admin)} == {admin}
    assert await items(since="2999-01-01T00:00:00Z") == []
    assert await items(until="2000-01-01T00:00:00Z") == []
    wide = await items(since="2000-01-01T00:00:00Z", until="2999-01-01T00:00:00Z")
    assert wide == everything
    mixed = await items(resource="alert", userId=admin, action="ALERT_CREATED", limit=2)
    assert len(mixed) == 2 and all(i["resource"] == "alert" for i in mixed)

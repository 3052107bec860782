"""Workspaces over HTTP with sessions from the real auth routes: create (quota, slug),
read, update, branding, session timeout, soft delete and restore, switching, onboarding,
usage, export; each change's audit row with actor, IP and request id."""

from __future__ import annotations

import pytest

from .platform_helpers import AppAndUsers, audit_rows, call, make_team, ok, sql

pytestmark = pytest.mark.postgres


async def test_create_makes_an_owner_a_current_workspace_and_an_audit_row(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    response = await call(
        client, "create-workspace", {"name": "Acme Security!"}, {**ada, "X-Request-ID": "req-42"}
    )
    assert response.status_code == 200, response.text
    ws = response.json()
    assert (ws["slug"], ws["role"], ws["plan"], ws["maxMembers"]) == (
        "acme-security",
        "OWNER",
        "FREE",
        3,
    )
    current = await ok(client, "get-current-workspace", None, ada)
    assert current["id"] == ws["id"]
    [row] = await audit_rows(users.url, "WORKSPACE_CREATED")
    assert row.workspaceId == ws["id"] and row.userId == await users.user_id(ada)
    assert row.ipAddress == "127.0.0.1" and row.requestId == "req-42"
    assert row.resource == "workspace" and row.resourceId == ws["id"]
    listed = await ok(client, "get-user-workspaces", None, ada)
    assert [w["id"] for w in listed] == [ws["id"]]


async def test_the_free_plan_allows_one_workspace_and_slugs_stay_unique(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    await ok(client, "create-workspace", {"name": "Acme"}, ada)
    second = await call(client, "create-workspace", {"name": "Acme"}, ada)
    assert second.status_code == 403
    assert second.json()["error"]["details"]["quota"] == "workspaces"
    await sql(users.url, """UPDATE "Workspace" SET plan = 'HOBBY'""")
    derived = await ok(client, "create-workspace", {"name": "Acme"}, ada)
    assert derived["slug"].startswith("acme-") and derived["slug"] != "acme"
    taken = await call(client, "create-workspace", {"name": "X", "slug": "acme"}, ada)
    assert taken.status_code == 409 and taken.json()["error"]["details"] == {"field": "slug"}
    free = await ok(client, "check-slug-availability", {"slug": "acme"}, ada)
    assert free == {"slug": "acme", "available": False}


@pytest.mark.parametrize(
    "args, fields",
    [
        ({"name": ""}, {"name"}),
        ({"name": "   "}, {"name"}),
        ({"name": "A", "slug": "Bad Slug"}, {"slug"}),
        ({"name": "A", "owner": "me"}, {"owner"}),
        ({"name": 5}, {"name"}),
    ],
)
async def test_create_arguments_are_validated(
    app_and_users: AppAndUsers, args: dict[str, object], fields: set[str]
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    response = await call(client, "create-workspace", args, ada)
    assert response.status_code == 400
    assert {d["field"] for d in response.json()["error"]["details"]} == fields
    assert await sql(users.url, 'SELECT id FROM "Workspace"') == []


async def test_update_branding_and_timeout_record_before_and_after(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    updated = await ok(
        client, "update-workspace", {"workspaceId": ws, "name": "Acme CSIRT"}, team["ADMIN"]
    )
    assert updated["name"] == "Acme CSIRT"
    [row] = await audit_rows(users.url, "WORKSPACE_UPDATED")
    assert row.metadata == {"before": {"name": "Acme SOC"}, "after": {"name": "Acme CSIRT"}}
    assert row.userId == team.ids["ADMIN"]
    branded = await ok(
        client,
        "update-workspace-branding",
        {"workspaceId": ws, "primaryColor": "#112233", "logoUrl": "https://cdn.example/l.png"},
        team["ADMIN"],
    )
    assert branded["primaryColor"] == "#112233"
    bad_color = await call(
        client,
        "update-workspace-branding",
        {"workspaceId": ws, "primaryColor": "red"},
        team["OWNER"],
    )
    assert bad_color.status_code == 400
    # The timeout is the owner's alone.
    admin = await call(
        client,
        "update-workspace-session-timeout",
        {"workspaceId": ws, "sessionTimeoutMins": 10},
        team["ADMIN"],
    )
    assert admin.status_code == 403
    owner = await ok(
        client,
        "update-workspace-session-timeout",
        {"workspaceId": ws, "sessionTimeoutMins": 10},
        team["OWNER"],
    )
    assert owner["sessionTimeoutMins"] == 10
    [row] = await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED")
    assert row.metadata == {"field": "sessionTimeoutMins", "before": 30, "after": 10}


async def test_soft_delete_hides_then_restore_brings_back(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    await ok(client, "switch-workspace", {"workspaceId": ws}, team["MEMBER"])
    refused = await call(client, "delete-workspace", {"workspaceId": ws}, team["ADMIN"])
    assert refused.status_code == 403
    deleted = await ok(client, "delete-workspace", {"workspaceId": ws}, team["OWNER"])
    assert deleted["deleted"] == ws and deleted["purgeAfter"]
    # Gone for everyone: not listed, not readable, nobody's current workspace.
    assert await ok(client, "get-user-workspaces", None, team["MEMBER"]) == []
    gone = await call(client, "get-workspace-by-id", {"workspaceId": ws}, team["MEMBER"])
    assert gone.status_code == 404
    assert await ok(client, "get-current-workspace", None, team["MEMBER"]) is None
    # The row is still there (soft), with the notification for the members.
    [row] = await sql(users.url, 'SELECT "deletedAt" FROM "Workspace" WHERE id = :w', w=ws)
    assert row.deletedAt is not None
    notified = await sql(
        users.url,
        'SELECT "userId" FROM "Notification" WHERE "eventType" = :e',
        e="workspace.deleted",
    )
    assert {r.userId for r in notified} == {
        team.ids[r] for r in ("OWNER", "ADMIN", "MEMBER", "VIEWER")
    }
    not_owner = await call(client, "restore-workspace", {"workspaceId": ws}, team["ADMIN"])
    assert not_owner.status_code == 403
    restored = await ok(client, "restore-workspace", {"workspaceId": ws}, team["OWNER"])
    assert restored["deletedAt"] is None
    again = await call(client, "restore-workspace", {"workspaceId": ws}, team["OWNER"])
    assert again.status_code == 409
    assert [r.userId for r in await audit_rows(users.url, "WORKSPACE_DELETED")] == [
        team.ids["OWNER"]
    ]
    assert len(await audit_rows(users.url, "WORKSPACE_RESTORED")) == 1


async def test_switch_onboarding_usage_and_export(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    stranger = await call(client, "switch-workspace", {"workspaceId": ws}, team["STRANGER"])
    assert stranger.status_code == 404
    switched = await ok(client, "switch-workspace", {"workspaceId": ws}, team["VIEWER"])
    assert switched["role"] == "VIEWER"
    [row] = await sql(
        users.url, 'SELECT "currentWorkspaceId" FROM users WHERE id = :u', u=team.ids["VIEWER"]
    )
    assert row.currentWorkspaceId == ws
    onboarded = await ok(client, "complete-onboarding", None, team["VIEWER"])
    assert onboarded["hasCompletedOnboarding"] is True
    assert len(await audit_rows(users.url, "ONBOARDING_COMPLETED")) == 1
    usage = await ok(client, "get-workspace-usage", {"workspaceId": ws}, team["VIEWER"])
    assert (usage["members"], usage["maxMembers"], usage["plan"]) == (4, None, "PRO")
    storage = await ok(client, "get-storage-stats", {"workspaceId": ws}, team["VIEWER"])
    assert storage["usedBytes"] == 0 and storage["availableBytes"] == storage["quotaBytes"]
    members_only = await call(client, "export-workspace-data", {"workspaceId": ws}, team["MEMBER"])
    assert members_only.status_code == 403
    export = await ok(client, "export-workspace-data", {"workspaceId": ws}, team["ADMIN"])
    assert {m["email"] for m in export["members"]} == {
        "owner@example.com",
        "admin@example.com",
        "member@example.com",
        "viewer@example.com",
    }
    assert "tokenDigest" not in str(export)
    [row] = await audit_rows(users.url, "DATA_EXPORTED")
    assert row.userId == team.ids["ADMIN"] and row.metadata["kind"] == "workspace"


@pytest.mark.parametrize(
    "op, args",
    [
        ("check-slug-availability", {"slug": "Not A Slug"}),
        ("accept-workspace-invitation", {"token": "short"}),
        ("confirm-ownership-transfer", {}),
        ("restore-workspace", {}),
        ("leave-workspace", {"workspaceId": ""}),
        ("revoke-workspace-invitation", {"workspaceId": "w"}),
        ("send-contact-message", {"content": 5}),
        ("update-profile", {"locale": "english"}),
        ("update-profile", {"avatarUrl": "javascript:alert(1)"}),
        ("get-user-activity", {"limit": 0}),
        ("get-system-logs", {"beforeId": 0}),
        ("get-paginated-users", {"pageSize": 1000}),
    ],
)
async def test_other_operations_validate_their_arguments(
    app_and_users: AppAndUsers, op: str, args: dict[str, object]
) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    response = await call(client, op, args, ada)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "validation_error"

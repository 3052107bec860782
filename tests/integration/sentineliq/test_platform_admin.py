"""Platform administrators' operations over HTTP (users, workspaces, system logs and
health, contact messages): refused to everyone else, audited, and doing what they say
(a suspended user is signed out and cannot sign in; a password reset mails the
framework's reset link; 2FA resets use the framework's store)."""

from __future__ import annotations

from typing import Any

import pytest

from .platform_helpers import (
    AppAndUsers,
    audit_rows,
    call,
    create_admin,
    mail_token,
    make_team,
    ok,
    sql,
)

pytestmark = pytest.mark.postgres

ADMIN_ONLY: list[tuple[str, Any]] = [
    ("get-paginated-users", {}),
    ("update-is-user-admin-by-id", {"id": "x", "isAdmin": True}),
    ("suspend-user", {"userId": "x"}),
    ("reset-user2-fa", {"userId": "x"}),
    ("reset-user-password", {"userId": "x"}),
    ("delete-user-cascade", {"userId": "x"}),
    ("get-user-activity", {"userId": "someone-else"}),
    ("get-all-workspaces-for-admin", {}),
    ("get-workspace-count", None),
    ("get-system-log-count", None),
    ("get-notification-count", None),
    ("get-contact-messages-count", None),
    ("get-workspace-details", {"workspaceId": "x"}),
    ("suspend-workspace", {"workspaceId": "x"}),
    ("update-workspace-quotas", {"workspaceId": "x", "plan": "PRO"}),
    ("get-all-audit-logs-for-admin", {}),
    ("get-system-logs", {}),
    ("get-system-health", None),
    ("get-database-metrics", None),
    ("get-infrastructure-status", None),
    ("get-contact-messages", {}),
    ("mark-message-as-read", {"id": "x"}),
    ("mark-message-as-replied", {"id": "x"}),
    ("delete-contact-message", {"id": "x"}),
]


async def test_only_administrators(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    for op, args in ADMIN_ONLY:
        response = await call(client, op, args, team["OWNER"])
        assert response.status_code == 403, (op, response.text)
        assert response.json()["error"]["details"] == {"reason": "admin"}, op
        assert (await client.post(f"/operations/{op}", json=args)).status_code == 401, op


async def test_user_management(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    admin, admin_id = await create_admin(users, "root@example.com")
    listed = await ok(client, "get-paginated-users", {"search": "member@", "pageSize": 5}, admin)
    assert [u["email"] for u in listed["items"]] == ["member@example.com"]
    assert listed["total"] == 1
    self_demote = await call(
        client, "update-is-user-admin-by-id", {"id": admin_id, "isAdmin": False}, admin
    )
    assert self_demote.status_code == 400
    promoted = await ok(
        client, "update-is-user-admin-by-id", {"id": team.ids["VIEWER"], "isAdmin": True}, admin
    )
    assert promoted["isAdmin"] is True
    [row] = await audit_rows(users.url, "UPDATE_USER_ADMIN_STATUS")
    assert row.userId == admin_id and row.resourceId == team.ids["VIEWER"]

    # Suspension ends every session and refuses sign-in until lifted.
    await ok(client, "suspend-user", {"userId": team.ids["MEMBER"], "reason": "abuse"}, admin)
    assert (await client.get("/auth/me", headers=team["MEMBER"])).status_code == 401
    login = {"email": "member@example.com", "password": users.PASSWORD}
    refused = await client.post("/auth/email/login", json=login)
    assert refused.status_code == 403 and refused.json()["error"]["details"] == {
        "reason": "suspended"
    }
    await ok(client, "suspend-user", {"userId": team.ids["MEMBER"], "suspended": False}, admin)
    assert (await client.post("/auth/email/login", json=login)).status_code == 200

    # A password reset mails the framework's own reset link and ends the sessions.
    await ok(client, "reset-user-password", {"userId": team.ids["ADMIN"]}, admin)
    assert (await client.get("/auth/me", headers=team["ADMIN"])).status_code == 401
    token = await mail_token(users, "admin@example.com", "/password-reset")
    reset = await client.post(
        "/auth/email/reset-password", json={"token": token, "password": "Another-pass-123"}
    )
    assert reset.status_code == 200, reset.text

    activity = await ok(client, "get-user-activity", {"userId": team.ids["OWNER"]}, admin)
    assert "WORKSPACE_CREATED" in {a["action"] for a in activity}
    own = await ok(client, "get-user-activity", {}, team["VIEWER"])
    assert {a["userId"] for a in own} == {team.ids["VIEWER"]}

    # Deleting a user takes the workspaces they own with them.
    deleted = await ok(client, "delete-user-cascade", {"userId": team.ids["OWNER"]}, admin)
    assert deleted["workspacesDeleted"] == [team.workspace_id]
    assert await sql(users.url, 'SELECT id FROM "Workspace"') == []
    assert await sql(users.url, "SELECT id FROM users WHERE id = :u", u=team.ids["OWNER"]) == []
    for action in ("ADMIN_SUSPEND_USER", "ADMIN_RESET_PASSWORD", "ADMIN_DELETE_USER"):
        assert await audit_rows(users.url, action), action
    missing = await call(client, "suspend-user", {"userId": "no-such-user"}, admin)
    assert missing.status_code == 404


async def test_reset_two_factor(app_and_users: AppAndUsers) -> None:
    import pyotp

    client, users = app_and_users
    ada = await users.create("ada@example.com")
    setup = await ok(client, "enable2-fa", None, ada)
    await ok(client, "verify2-fa", {"code": pyotp.TOTP(setup["secret"]).now()}, ada)
    admin, _ = await create_admin(users, "root@example.com")
    ada_id = await users.user_id(ada)
    reset = await ok(client, "reset-user2-fa", {"userId": ada_id}, admin)
    assert reset["twoFactorEnabled"] is False
    assert await sql(users.url, "SELECT 1 FROM auth_two_factor") == []
    login = await client.post(
        "/auth/email/login", json={"email": "ada@example.com", "password": users.PASSWORD}
    )
    assert login.status_code == 200  # no second factor asked any more


async def test_workspace_administration(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users, plan="FREE")
    ws = team.workspace_id
    admin, _ = await create_admin(users, "root@example.com")
    listed = await ok(client, "get-all-workspaces-for-admin", {"search": "acme"}, admin)
    assert listed["total"] == 1 and listed["items"][0]["memberCount"] == 4
    assert await ok(client, "get-workspace-count", None, admin) == {
        "total": 1,
        "active": 1,
        "deleted": 0,
    }
    details = await ok(client, "get-workspace-details", {"workspaceId": ws}, admin)
    assert len(details["members"]) == 4 and details["recentActivity"]
    quotas = await ok(
        client,
        "update-workspace-quotas",
        {"workspaceId": ws, "maxMembersOverride": 20, "storageQuotaBytes": 5},
        admin,
    )
    assert quotas["maxMembers"] == 20 and quotas["storageQuotaBytes"] == 5
    [row] = await audit_rows(users.url, "ADMIN_UPDATE_QUOTAS")
    assert row.metadata["after"] == {"maxMembersOverride": 20, "storageQuotaBytes": 5}
    await ok(client, "suspend-workspace", {"workspaceId": ws, "reason": "unpaid"}, admin)
    suspended = await call(client, "get-workspace-by-id", {"workspaceId": ws}, team["OWNER"])
    assert suspended.status_code == 403
    assert suspended.json()["error"]["details"] == {"reason": "suspended"}
    await ok(client, "suspend-workspace", {"workspaceId": ws, "suspended": False}, admin)
    assert (
        await call(client, "get-workspace-by-id", {"workspaceId": ws}, team["OWNER"])
    ).status_code == 200
    missing = await call(client, "get-workspace-details", {"workspaceId": "nope"}, admin)
    assert missing.status_code == 404
    counts = await ok(client, "get-notification-count", None, admin)
    assert counts["total"] >= 0


async def test_system_logs_and_health(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    admin, _ = await create_admin(users, "root@example.com")
    await sql(
        users.url,
        """INSERT INTO "SystemLog" (level, message, component)
           SELECT (ARRAY['DEBUG','INFO','WARN','ERROR','CRITICAL'])[1 + g % 5]::log_level,
                  'event ' || g || CASE WHEN g = 7 THEN ' 100% disk' ELSE '' END, 'job'
           FROM generate_series(1, 25) g""",
    )
    counted = await ok(client, "get-system-log-count", None, admin)
    assert counted["total"] == 25 and counted["byLevel"]["ERROR"] == 5
    errors = await ok(client, "get-system-logs", {"level": "ERROR", "limit": 3}, admin)
    assert len(errors["items"]) == 3 and errors["nextBeforeId"] is not None
    rest = await ok(
        client, "get-system-logs", {"level": "ERROR", "beforeId": errors["nextBeforeId"]}, admin
    )
    assert len(rest["items"]) == 2 and rest["nextBeforeId"] is None
    found = await ok(client, "get-system-logs", {"search": "100%"}, admin)
    assert [i["message"] for i in found["items"]] == ["event 7 100% disk"]
    bad = await call(client, "get-system-logs", {"level": "LOUD"}, admin)
    assert bad.status_code == 400
    health = await ok(client, "get-system-health", None, admin)
    assert health["database"]["status"] == "ok" and health["runtime"]["status"] == "ok"
    metrics = await ok(client, "get-database-metrics", None, admin)
    assert metrics["sizeBytes"] > 0 and metrics["connections"]["total"] >= 1
    infra = await ok(client, "get-infrastructure-status", None, admin)
    assert infra["cpus"] >= 1


async def test_contact_messages(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    blank = await call(client, "send-contact-message", {"content": "   "}, ada)
    assert blank.status_code == 400
    sent = await ok(client, "send-contact-message", {"content": " Hello team "}, ada)
    assert sent["content"] == "Hello team" and sent["isRead"] is False
    admin, _ = await create_admin(users, "root@example.com")
    assert await ok(client, "get-contact-messages-count", None, admin) == {"total": 1, "unread": 1}
    unread = await ok(client, "get-contact-messages", {"unreadOnly": True}, admin)
    assert [m["userEmail"] for m in unread["items"]] == ["ada@example.com"]
    await ok(client, "mark-message-as-read", {"id": sent["id"]}, admin)
    replied = await ok(client, "mark-message-as-replied", {"id": sent["id"]}, admin)
    assert replied["repliedAt"] is not None
    assert (await ok(client, "get-contact-messages", {"unreadOnly": True}, admin))["items"] == []
    await ok(client, "delete-contact-message", {"id": sent["id"]}, admin)
    again = await call(client, "delete-contact-message", {"id": sent["id"]}, admin)
    assert again.status_code == 404
    actions = [
        r.action
        for r in await sql(
            users.url,
            """SELECT action::text FROM "AuditLog" WHERE resource = 'message' ORDER BY id""",
        )
    ]
    assert actions == ["MESSAGE_SENT", "MESSAGE_UPDATED", "MESSAGE_UPDATED", "MESSAGE_DELETED"]
    # 5 an hour per user (app.server.rateLimit.named.contactMessage).
    for _ in range(4):
        await ok(client, "send-contact-message", {"content": "again"}, ada)
    limited = await call(client, "send-contact-message", {"content": "one too many"}, ada)
    assert limited.status_code == 429


async def test_profile(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    updated = await ok(
        client, "update-profile", {"displayName": "Ada L.", "timezone": "Europe/London"}, ada
    )
    assert (updated["displayName"], updated["timezone"]) == ("Ada L.", "Europe/London")
    [row] = await audit_rows(users.url, "USER_UPDATED")
    assert row.metadata["after"] == {"displayName": "Ada L.", "timezone": "Europe/London"}
    bad = await call(client, "update-profile", {"isAdmin": True}, ada)
    assert bad.status_code == 400
    null = await call(client, "update-profile", {"timezone": None, "displayName": None}, ada)
    assert null.status_code == 400  # a required column is never set to null

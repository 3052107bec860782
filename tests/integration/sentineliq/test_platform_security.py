"""Workspace security over HTTP: the OWNER's IP allowlist (enforced on every workspace
call, never able to lock its owner out, off without losing the list), the workspace's
session timeout, and 2FA through the framework's own TOTP store."""

from __future__ import annotations

import asyncio

import pyotp
import pytest

from .platform_helpers import AppAndUsers, audit_rows, call, make_team, ok, sql

pytestmark = pytest.mark.postgres


def from_ip(headers: dict[str, str], ip: str) -> dict[str, str]:
    # The test client connects from 127.0.0.1, a trusted proxy (app.server.trustedProxies).
    return {**headers, "X-Forwarded-For": ip}


async def test_the_allowlist_is_enforced_for_everyone(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    office = from_ip(team["OWNER"], "10.1.2.3")
    lockout = await call(
        client,
        "update-workspace-ip-whitelist",
        {"workspaceId": ws, "entries": ["192.168.0.0/16"], "enabled": True},
        office,
    )
    assert lockout.status_code == 400
    assert lockout.json()["error"]["details"] == {"reason": "self_lockout", "yourIp": "10.1.2.3"}
    bad = await call(
        client,
        "update-workspace-ip-whitelist",
        {"workspaceId": ws, "entries": ["10.0.0.0/8", "not-an-ip"]},
        office,
    )
    assert bad.status_code == 400
    assert [d["field"] for d in bad.json()["error"]["details"]] == ["entries.1"]
    enabled = await ok(
        client,
        "update-workspace-ip-whitelist",
        {"workspaceId": ws, "entries": ["10.0.0.1/8", "10.0.0.0/8"], "enabled": True},
        office,
    )
    assert enabled == {"workspaceId": ws, "enabled": True, "entries": ["10.0.0.0/8"]}
    [row] = await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED")
    assert row.ipAddress == "10.1.2.3" and row.metadata["after"]["entries"] == ["10.0.0.0/8"]

    # Every member, the admin too, from outside: refused; from inside: served.
    for role in ("ADMIN", "MEMBER", "VIEWER"):
        outside = await call(client, "get-workspace-by-id", {"workspaceId": ws}, team[role])
        assert outside.status_code == 403, role
        assert outside.json()["error"]["details"] == {"reason": "ip_not_allowed"}
        inside = await call(
            client, "get-workspace-by-id", {"workspaceId": ws}, from_ip(team[role], "10.9.9.9")
        )
        assert inside.status_code == 200, role
    # A stranger still cannot tell the workspace exists.
    stranger = await call(
        client, "get-workspace-by-id", {"workspaceId": ws}, from_ip(team["STRANGER"], "10.9.9.9")
    )
    assert stranger.status_code == 404

    # Off keeps the list; on again restores it; removing the last entry turns it off.
    off = await ok(client, "toggle-ip-whitelist", {"workspaceId": ws, "enabled": False}, office)
    assert off == {"workspaceId": ws, "enabled": False, "entries": ["10.0.0.0/8"]}
    served = await call(client, "get-workspace-by-id", {"workspaceId": ws}, team["MEMBER"])
    assert served.status_code == 200
    await ok(client, "toggle-ip-whitelist", {"workspaceId": ws, "enabled": True}, office)
    added = await ok(
        client, "add-ip-to-whitelist", {"workspaceId": ws, "entry": "127.0.0.1"}, office
    )
    assert added["entries"] == ["10.0.0.0/8", "127.0.0.1"]
    # Removing the owner's own network while on would lock them out.
    own = await call(
        client, "remove-ip-from-whitelist", {"workspaceId": ws, "entry": "10.0.0.0/8"}, office
    )
    assert own.status_code == 400
    missing = await call(
        client, "remove-ip-from-whitelist", {"workspaceId": ws, "entry": "8.8.8.8"}, office
    )
    assert missing.status_code == 404
    listed = await ok(
        client,
        "get-workspace-ip-whitelist",
        {"workspaceId": ws},
        from_ip(team["ADMIN"], "10.0.0.7"),
    )
    assert listed["yourIp"] == "10.0.0.7" and listed["enabled"] is True
    [stored] = await sql(users.url, 'SELECT "ipAllowlist" FROM "Workspace"')
    assert stored.ipAllowlist == ["10.0.0.0/8", "127.0.0.1"]


async def test_a_strict_workspace_times_idle_sessions_out(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = team.workspace_id
    await ok(
        client,
        "update-workspace-session-timeout",
        {"workspaceId": ws, "sessionTimeoutMins": 5},
        team["OWNER"],
    )
    for invalid in (4, 24 * 60 + 1, "10"):
        response = await call(
            client,
            "update-workspace-session-timeout",
            {"workspaceId": ws, "sessionTimeoutMins": invalid},
            team["OWNER"],
        )
        assert response.status_code == 400, invalid
    await sql(users.url, "UPDATE auth_sessions SET last_seen_at = now() - interval '10 minutes'")
    await asyncio.sleep(5.1)  # the session cache (5 s) holds the last validation
    idle = await call(client, "get-workspace-members", {"workspaceId": ws}, team["MEMBER"])
    assert idle.status_code == 401
    assert idle.json()["error"]["details"] == {"reason": "workspace_session_timeout"}


async def test_two_factor_operations_use_the_frameworks_store(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    setup = await ok(client, "enable2-fa", None, ada)
    assert setup["otpauthUrl"].startswith("otpauth://totp/") and "<svg" in setup["qrSvg"]
    totp = pyotp.TOTP(setup["secret"])
    wrong = await call(client, "verify2-fa", {"code": "000000"}, ada)
    assert wrong.status_code == 403 and wrong.json()["error"]["details"] == {"reason": "code"}
    enabled = await ok(client, "verify2-fa", {"code": totp.now()}, ada)
    assert enabled["enabled"] is True and len(enabled["backupCodes"]) == 10
    [stored] = await sql(users.url, "SELECT secret_sealed, enabled_at FROM auth_two_factor")
    assert stored.enabled_at is not None and setup["secret"] not in str(stored.secret_sealed)
    again = await call(client, "enable2-fa", None, ada)
    assert again.status_code == 409
    # Sign-in now needs the second factor.
    login = await client.post(
        "/auth/email/login", json={"email": "ada@example.com", "password": users.PASSWORD}
    )
    assert login.status_code == 401 and login.json()["error"]["details"]["twoFactorRequired"]
    backup = enabled["backupCodes"]
    fresh = await ok(client, "generate-new2-fa-backup-codes", {"code": backup[0]}, ada)
    assert set(fresh["backupCodes"]).isdisjoint(backup)
    old_code = await call(
        client, "disable2-fa", {"code": backup[1], "password": users.PASSWORD}, ada
    )
    assert old_code.status_code == 403  # the old set was replaced
    no_password = await call(client, "disable2-fa", {"code": fresh["backupCodes"][0]}, ada)
    assert no_password.status_code == 403
    off = await ok(
        client, "disable2-fa", {"code": fresh["backupCodes"][1], "password": users.PASSWORD}, ada
    )
    assert off == {"enabled": False}
    [user] = await sql(users.url, 'SELECT "twoFactorEnabled" FROM users')
    assert user.twoFactorEnabled is False
    actions = [
        r.action
        for r in await sql(
            users.url, """SELECT action::text FROM "AuditLog" WHERE resource = 'user' ORDER BY id"""
        )
    ]
    assert actions == [
        "TWO_FACTOR_SETUP_STARTED",
        "TWO_FACTOR_ENABLED",
        "BACKUP_CODES_REGENERATED",
        "TWO_FACTOR_DISABLED",
    ]
    short = await call(client, "verify2-fa", {"code": "1"}, ada)
    assert short.status_code == 400

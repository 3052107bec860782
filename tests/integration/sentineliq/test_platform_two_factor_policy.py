"""The workspace's 2FA policy over HTTP with sessions from the real auth routes: only the
OWNER sets it, not before having 2FA themselves, each change audited; while it is on, a
member without 2FA is refused (403 ``two_factor_required``) on the workspace's calls and
pages but can still see their account, turn 2FA on and leave; once they have 2FA on, they
are let in again."""

from __future__ import annotations

import httpx
import pyotp
import pytest

from .platform_helpers import AppAndUsers, Team, audit_rows, call, mail_token, make_team, ok

pytestmark = pytest.mark.postgres

POLICY = "update-workspace-two-factor-policy"
REFUSED = {"reason": "two_factor_required"}
CONFIRM = "/workspaces/transfer/confirm"


def csrf_token(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def same_origin(shown: httpx.Response) -> dict[str, str]:
    """What a browser sends with the page's form: its origin and the page's CSRF cookie
    (Secure, so httpx keeps it off http:// by itself)."""
    return {
        "Origin": "http://testserver",
        "Cookie": f"sentinel_csrf={shown.cookies['sentinel_csrf']}",
    }


async def turn_on_two_factor(team: Team, role: str) -> None:
    setup = await ok(team.client, "enable2-fa", None, team[role])
    await ok(team.client, "verify2-fa", {"code": pyotp.TOTP(setup["secret"]).now()}, team[role])


async def test_only_an_owner_with_two_factor_sets_the_policy(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    on = {"workspaceId": team.workspace_id, "requireTwoFactor": True}
    # The owner without 2FA would shut themselves out: refused, nothing saved.
    lockout = await call(client, POLICY, on, team["OWNER"])
    assert lockout.status_code == 409, lockout.text
    assert lockout.json()["error"]["details"] == {"reason": "self_lockout"}
    assert await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED") == []
    await turn_on_two_factor(team, "ADMIN")
    admin = await call(client, POLICY, on, team["ADMIN"])
    assert admin.status_code == 403 and admin.json()["error"]["details"]["reason"] == "role"
    stranger = await call(client, POLICY, on, team["STRANGER"])
    assert stranger.status_code == 404
    assert (
        await call(client, POLICY, {**on, "requireTwoFactor": "yes"}, team["OWNER"])
    ).status_code == 400

    await turn_on_two_factor(team, "OWNER")
    saved = await ok(client, POLICY, on, team["OWNER"])
    assert saved["requireTwoFactor"] is True
    read = await ok(
        client, "get-workspace-by-id", {"workspaceId": team.workspace_id}, team["OWNER"]
    )
    assert read["requireTwoFactor"] is True
    [row] = await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED")
    assert row.userId == team.ids["OWNER"] and row.workspaceId == team.workspace_id
    assert row.metadata == {"field": "requireTwoFactor", "before": False, "after": True}
    # Saving the same value again changes nothing and writes no second row.
    await ok(client, POLICY, on, team["OWNER"])
    assert len(await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED")) == 1


async def test_the_policy_shuts_out_members_without_two_factor(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    ws = {"workspaceId": team.workspace_id}
    await turn_on_two_factor(team, "OWNER")
    await ok(client, POLICY, {**ws, "requireTwoFactor": True}, team["OWNER"])

    # Workspace calls: refused with the reason, for every role lacking 2FA.
    for role, op, args in (
        ("MEMBER", "get-workspace-by-id", ws),
        ("VIEWER", "get-workspace-members", ws),
        ("ADMIN", "get-audit-logs", ws),
        ("MEMBER", "create-alert", {**ws, "title": "Phish", "source": "mail"}),
    ):
        refused = await call(client, op, args, team[role])
        assert refused.status_code == 403, (role, op, refused.text)
        assert refused.json()["error"]["details"] == REFUSED, (role, op)
    # The owner (with 2FA) is not affected; a stranger still gets 404, not the reason.
    assert (await call(client, "get-workspace-by-id", ws, team["OWNER"])).status_code == 200
    assert (await call(client, "get-workspace-by-id", ws, team["STRANGER"])).status_code == 404
    # Pages say what to do.
    settings = await client.get(f"/workspaces/{team.workspace_id}/settings", headers=team["MEMBER"])
    assert settings.status_code == 403
    assert "requires two-factor authentication" in settings.text
    assert 'href="/auth/security"' in settings.text
    # What they need stays open: their account, turning 2FA on, leaving.
    assert (await client.get("/account", headers=team["MEMBER"])).status_code == 200
    assert (await call(client, "get-user-workspaces", None, team["MEMBER"])).status_code == 200
    # Leaving, from the refusal page's own form (the operation is the same service call).
    refusal = await client.get(f"/workspaces/{team.workspace_id}/settings", headers=team["VIEWER"])
    assert refusal.status_code == 403 and 'id="leave-form"' in refusal.text
    left = await client.post(
        f"/forms/workspaces/{team.workspace_id}/settings",
        data={"csrf_token": csrf_token(refusal.text), "action": "leave"},
        headers={**team["VIEWER"], **same_origin(refusal)},
    )
    assert left.status_code == 303 and left.headers["location"] == "/dashboard?done=left"
    assert (await call(client, "get-workspace-by-id", ws, team["VIEWER"])).status_code == 404

    # With 2FA on, the member is let in at once (the flag is read from the row).
    await turn_on_two_factor(team, "MEMBER")
    assert (await call(client, "get-workspace-by-id", ws, team["MEMBER"])).status_code == 200
    page = await client.get(f"/workspaces/{team.workspace_id}/settings", headers=team["MEMBER"])
    assert page.status_code == 200 and 'id="members-table"' in page.text
    # The admin is still out; the owner lifts the policy and they are back.
    assert (await call(client, "get-audit-logs", ws, team["ADMIN"])).status_code == 403
    await ok(client, POLICY, {**ws, "requireTwoFactor": False}, team["OWNER"])
    assert (await call(client, "get-audit-logs", ws, team["ADMIN"])).status_code == 200
    rows = await audit_rows(users.url, "WORKSPACE_SECURITY_UPDATED")
    assert [r.metadata["after"] for r in rows] == [True, False]


async def test_a_new_owner_without_two_factor_confirms_once_it_is_on(
    app_and_users: AppAndUsers,
) -> None:
    """Confirming a transfer is a workspace call of the new owner's: refused while they
    lack 2FA, and the refusal rolls the claim back, so the same link works afterwards."""
    client, users = app_and_users
    team = await make_team(client, users)
    ws = {"workspaceId": team.workspace_id}
    await turn_on_two_factor(team, "OWNER")
    await ok(client, POLICY, {**ws, "requireTwoFactor": True}, team["OWNER"])
    await ok(
        client,
        "transfer-workspace-ownership",
        {**ws, "newOwnerId": team.ids["MEMBER"]},
        team["OWNER"],
    )
    token = await mail_token(users, "member@example.com", CONFIRM)
    refused = await call(client, "confirm-ownership-transfer", {"token": token}, team["MEMBER"])
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["details"] == REFUSED
    assert await audit_rows(users.url, "OWNERSHIP_TRANSFERRED") == []
    await turn_on_two_factor(team, "MEMBER")
    done = await ok(client, "confirm-ownership-transfer", {"token": token}, team["MEMBER"])
    assert done["ownerId"] == team.ids["MEMBER"]


async def test_the_settings_form_sets_the_policy(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    path = f"/workspaces/{team.workspace_id}/settings"
    await turn_on_two_factor(team, "OWNER")
    shown = await client.get(path, headers=team["OWNER"])
    assert shown.status_code == 200 and 'id="two-factor-form"' in shown.text
    posted = await client.post(
        f"/forms{path}",
        data={
            "csrf_token": csrf_token(shown.text),
            "action": "two_factor",
            "requireTwoFactor": "on",
        },
        headers={**team["OWNER"], **same_origin(shown)},
    )
    assert posted.status_code == 303, posted.text
    read = await ok(
        client, "get-workspace-by-id", {"workspaceId": team.workspace_id}, team["OWNER"]
    )
    assert read["requireTwoFactor"] is True


async def test_a_refused_settings_form_says_why_once(app_and_users: AppAndUsers) -> None:
    """A refusal is the settings page again with its message once (in the form's section,
    or at the top for an action the page does not know), never a JSON body."""
    client, users = app_and_users
    team = await make_team(client, users)
    path = f"/workspaces/{team.workspace_id}/settings"
    for action, fields, status, message in (
        ("two_factor", {"requireTwoFactor": "on"}, 409, "two-factor"),  # owner lacks 2FA
        ("no-such-action", {}, 400, "Unknown action"),
    ):
        shown = await client.get(path, headers=team["OWNER"])
        posted = await client.post(
            f"/forms{path}",
            data={"csrf_token": csrf_token(shown.text), "action": action, **fields},
            headers={**team["OWNER"], **same_origin(shown)},
        )
        assert posted.status_code == status, (action, posted.text)
        assert posted.headers["content-type"].startswith("text/html"), action
        assert posted.text.count('id="error"') == 1, action
        assert message.lower() in posted.text.lower(), action

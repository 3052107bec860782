"""Every workspace-scoped platform operation against every role boundary, over HTTP with
sessions from the real auth routes: a stranger gets 404 (the workspace's existence is not
revealed), the role just below the minimum gets 403, the minimum role succeeds and a
change leaves an audit row naming that user, and malformed arguments get 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .platform_helpers import AppAndUsers, Team, audit_rows, call, make_team

pytestmark = pytest.mark.postgres

BELOW = {"ADMIN": "MEMBER", "OWNER": "ADMIN"}

Args = Callable[[Team], dict[str, Any]]


def ws(team: Team) -> dict[str, Any]:
    return {"workspaceId": team.workspace_id}


CASES: list[tuple[str, str, Args, str | None]] = [
    # (operation, minimum role, arguments, audit action of a change)
    ("get-workspace-by-id", "VIEWER", ws, None),
    ("get-workspace-members", "VIEWER", ws, None),
    ("get-workspace-usage", "VIEWER", ws, None),
    ("get-storage-stats", "VIEWER", ws, None),
    ("switch-workspace", "VIEWER", ws, "WORKSPACE_SWITCHED"),
    ("get-workspace-invitations", "ADMIN", ws, None),
    ("export-workspace-data", "ADMIN", ws, "DATA_EXPORTED"),
    ("update-workspace", "ADMIN", lambda t: {**ws(t), "name": "Renamed"}, "WORKSPACE_UPDATED"),
    (
        "update-workspace-branding",
        "ADMIN",
        lambda t: {**ws(t), "secondaryColor": "#abcdef"},
        "WORKSPACE_BRANDING_UPDATED",
    ),
    (
        "send-workspace-invitation",
        "ADMIN",
        lambda t: {**ws(t), "email": "new@example.com", "role": "MEMBER"},
        "INVITATION_SENT",
    ),
    (
        "invite-member-to-workspace",
        "ADMIN",
        lambda t: {**ws(t), "email": "new@example.com"},
        "INVITATION_SENT",
    ),
    (
        "remove-member-from-workspace",
        "ADMIN",
        lambda t: {**ws(t), "userId": t.ids["VIEWER"]},
        "MEMBER_REMOVED",
    ),
    (
        "update-member-role",
        "ADMIN",
        lambda t: {**ws(t), "userId": t.ids["VIEWER"], "role": "MEMBER"},
        "MEMBER_ROLE_CHANGED",
    ),
    ("get-workspace-ip-whitelist", "ADMIN", ws, None),
    ("get-audit-logs", "ADMIN", ws, None),
    (
        "get-audit-logs-by-resource",
        "ADMIN",
        lambda t: {**ws(t), "resource": "workspace", "resourceId": t.workspace_id},
        None,
    ),
    ("export-audit-logs", "ADMIN", lambda t: {**ws(t), "format": "json"}, "DATA_EXPORTED"),
    (
        "update-workspace-session-timeout",
        "OWNER",
        lambda t: {**ws(t), "sessionTimeoutMins": 15},
        "WORKSPACE_SECURITY_UPDATED",
    ),
    (
        "update-workspace-ip-whitelist",
        "OWNER",
        lambda t: {**ws(t), "entries": ["127.0.0.1", "10.0.0.0/8"], "enabled": True},
        "WORKSPACE_SECURITY_UPDATED",
    ),
    (
        "add-ip-to-whitelist",
        "OWNER",
        lambda t: {**ws(t), "entry": "192.168.0.0/16"},
        "WORKSPACE_SECURITY_UPDATED",
    ),
    (
        "toggle-ip-whitelist",
        "OWNER",
        lambda t: {**ws(t), "enabled": False},
        "WORKSPACE_SECURITY_UPDATED",
    ),
    (
        "transfer-workspace-ownership",
        "OWNER",
        lambda t: {**ws(t), "newOwnerId": t.ids["ADMIN"]},
        "OWNERSHIP_TRANSFER_REQUESTED",
    ),
    ("delete-workspace", "OWNER", ws, "WORKSPACE_DELETED"),
]


@pytest.mark.parametrize("op, minimum, args, action", CASES, ids=[c[0] for c in CASES])
async def test_role_boundaries(
    app_and_users: AppAndUsers, op: str, minimum: str, args: Args, action: str | None
) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    arguments = args(team)

    stranger = await call(client, op, arguments, team["STRANGER"])
    assert stranger.status_code == 404, stranger.text
    assert stranger.json()["error"]["message"] == "Workspace not found"

    if minimum in BELOW:
        weaker = await call(client, op, arguments, team[BELOW[minimum]])
        assert weaker.status_code == 403, weaker.text
        assert weaker.json()["error"]["details"]["reason"] == "role"

    malformed = await call(client, op, {**arguments, "workspaceId": 5}, team[minimum])
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "validation_error"
    unknown = await call(client, op, {**arguments, "sneaky": True}, team[minimum])
    assert unknown.status_code == 400

    if action is not None:
        assert await audit_rows(users.url, action) == []  # nothing refused left a trace
    allowed = await call(client, op, arguments, team[minimum])
    assert allowed.status_code == 200, allowed.text
    if action is not None:
        [row] = await audit_rows(users.url, action)
        assert row.userId == team.ids[minimum]
        assert row.ipAddress == "127.0.0.1" and row.requestId
        assert row.workspaceId == team.workspace_id


async def test_signed_out_callers_get_401_everywhere(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    for op, _, args, _ in CASES:
        response = await client.post(f"/operations/{op}", json=args(team))
        assert response.status_code == 401, op

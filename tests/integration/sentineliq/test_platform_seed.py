"""``sentinel db seed demo``: run the way the command runs it (``run_seeds``), then the
demo people sign in through the real login route and see their workspace and roles."""

from __future__ import annotations

import pytest

from .conftest import ROOT
from .platform_helpers import AppAndUsers, call, ok, sql

pytestmark = pytest.mark.postgres


async def test_the_demo_workspace_can_be_signed_into(app_and_users: AppAndUsers) -> None:
    from sentinel_spec.cli import load
    from sentinel_spec.cli_db import run_seeds
    from src.db.seeds import DEMO_PASSWORD, DOMAIN

    client, users = app_and_users
    seeds = load(ROOT).app.db.seeds
    assert await run_seeds(ROOT, users.url, seeds, "demo") == ["demo"]
    assert await run_seeds(ROOT, users.url, seeds, "demo") == ["demo"]  # idempotent
    [count] = await sql(users.url, 'SELECT count(*) AS n FROM "Workspace"')
    assert count.n == 1

    sessions = {}
    for person in ("owner", "admin", "analyst", "auditor"):
        login = await client.post(
            "/auth/email/login", json={"email": f"{person}@{DOMAIN}", "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200, (person, login.text)
        sessions[person] = {"Authorization": f"Bearer {login.json()['sessionId']}"}
    current = await ok(client, "get-current-workspace", None, sessions["auditor"])
    assert current["name"] == "Acme Security" and current["role"] == "VIEWER"
    members = await ok(
        client, "get-workspace-members", {"workspaceId": current["id"]}, sessions["owner"]
    )
    assert {m["role"] for m in members} == {"OWNER", "ADMIN", "MEMBER", "VIEWER"}
    pending = await ok(
        client, "get-workspace-invitations", {"workspaceId": current["id"]}, sessions["admin"]
    )
    assert len(pending) == 2
    audit = await ok(
        client, "get-audit-logs", {"workspaceId": current["id"], "limit": 50}, sessions["admin"]
    )
    assert len(audit["items"]) == 50 and audit["nextCursor"]
    refused = await call(
        client, "get-audit-logs", {"workspaceId": current["id"]}, sessions["analyst"]
    )
    assert refused.status_code == 403

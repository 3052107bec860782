"""How many SQL statements the workspace door and the audit page cost, counted on the
app's engine over HTTP: ``member_of`` is one query (membership, role, allowlist, timeout,
deleted/suspended state and the 2FA policy together), and the audit page's count is
pinned so a regression shows up here rather than only in bench/sentineliq.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from .platform_helpers import AppAndUsers, make_team, ok

pytestmark = pytest.mark.postgres


def _engine(client: httpx.AsyncClient) -> Any:
    transport: Any = client._transport  # the ASGI transport of the conftest
    return transport.app.state.sentinel.database.engine.sync_engine


@contextmanager
def counted(client: httpx.AsyncClient) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = _engine(client)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _reads(statements: list[str]) -> list[str]:
    """The statements that are queries (not BEGIN/COMMIT or the session's touch)."""
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


async def test_the_workspace_door_is_one_query(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    args = {"workspaceId": team.workspace_id}
    await ok(client, "get-workspace-by-id", args, team["MEMBER"])  # session now cached
    with counted(client) as statements:
        await ok(client, "get-workspace-by-id", args, team["MEMBER"])
    door = [s for s in _reads(statements) if '"WorkspaceMember"' in s]
    assert len(door) == 1, statements
    for column in ('"ipAllowlist"', '"sessionTimeoutMins"', '"deletedAt"', '"requireTwoFactor"'):
        assert column in door[0], column
    # The operation itself reads the workspace once more; nothing else.
    assert len(_reads(statements)) == 2, statements


async def test_the_audit_page_query_count(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    team = await make_team(client, users)
    path = f"/workspaces/{team.workspace_id}/audit"
    assert (await client.get(path, headers=team["ADMIN"])).status_code == 200
    with counted(client) as statements:
        shown = await client.get(path, headers=team["ADMIN"])
    assert shown.status_code == 200
    reads = _reads(statements)
    # door, the log page, the user's workspaces with the unread count, the member filter
    assert len(reads) == 4, "\n".join(reads)


def _badge(html: str) -> int:
    found = re.search(r'id="unread-count"[^>]*>.*?<span data-count>(\d+)</span>', html)
    assert found is not None, "no unread badge"
    return int(found.group(1))


async def test_the_dashboard_query_count_and_its_unread_badge(app_and_users: AppAndUsers) -> None:
    """The layout reads the user's workspaces and the unread count in one query; the
    badge still says what get-unread-count says."""
    client, users = app_and_users
    team = await make_team(client, users)
    for title in ("one", "two"):
        args = {"workspaceId": team.workspace_id, "title": title, "source": "s"}
        await ok(client, "create-alert", args, team["ADMIN"])
    unread = await ok(client, "get-unread-count", None, team["ADMIN"])
    assert unread >= 2
    assert (await client.get("/dashboard", headers=team["ADMIN"])).status_code == 200
    with counted(client) as statements:
        shown = await client.get("/dashboard", headers=team["ADMIN"])
    assert shown.status_code == 200
    assert _badge(shown.text) == unread
    assert 'id="member-count">4<' in shown.text  # the four roles of make_team
    assert 'id="open-alerts">2<' in shown.text and 'id="open-incidents">0<' in shown.text
    for role in ("owner", "admin", "member", "viewer"):
        assert f"{role}@example.com" in shown.text
    reads = _reads(statements)
    # workspaces with the unread count, door, recent audit rows, the members with the counts
    assert len(reads) == 4, "\n".join(reads)


async def test_the_badge_of_a_user_without_a_workspace(app_and_users: AppAndUsers) -> None:
    """No workspace row to carry the unread count: it is read on its own."""
    client, users = app_and_users
    team = await make_team(client, users)
    stranger = team["STRANGER"]
    page = await client.get("/notifications", headers=stranger)
    assert page.status_code == 200
    assert _badge(page.text) == await ok(client, "get-unread-count", None, stranger) == 0


async def test_the_audit_filter_keeps_its_selection(app_and_users: AppAndUsers) -> None:
    """The action options are built once per selection: each page still marks its own."""
    client, users = app_and_users
    team = await make_team(client, users)
    path = f"/workspaces/{team.workspace_id}/audit"
    for action in ("MEMBER_ADDED", "USER_LOGIN", "MEMBER_ADDED", ""):
        shown = await client.get(path, params={"action": action}, headers=team["ADMIN"])
        assert shown.status_code == 200
        chosen = re.findall(r'<option value="([A-Z_]+)" selected>', shown.text)
        assert chosen == ([action] if action else []), chosen
        assert shown.text.count('<option value="USER_LOGIN"') == 1

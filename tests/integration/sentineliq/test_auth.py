"""SentinelIQ's use of auth: its signup fields and sign-ins in the audit log (workspace
access, allowlists and timeouts: test_platform_security.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Users

pytestmark = pytest.mark.postgres

AppAndUsers = tuple[httpx.AsyncClient, Users]


async def _rows(users: Users, sql: str) -> list[Any]:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(users.url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(sa.text(sql))
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_signup_fields_and_the_password_policy(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    weak = await client.post(
        "/auth/email/signup", json={"email": "weak@example.com", "password": "short"}
    )
    rules = [d["rule"] for d in weak.json()["error"]["details"]]
    assert rules == ["minLength", "requireUpper", "requireDigit"]
    bad_name = await client.post(
        "/auth/email/signup",
        json={"email": "n@example.com", "password": Users.PASSWORD, "username": "No Spaces"},
    )
    assert bad_name.status_code == 400
    assert bad_name.json()["error"]["details"][0]["field"] == "username"
    good = await client.post(
        "/auth/email/signup",
        json={
            "email": "ok@example.com",
            "password": Users.PASSWORD,
            "username": "ok.user",
            "displayName": "  Okay User ",
        },
    )
    assert good.status_code == 201
    [row] = await _rows(users, 'SELECT username, "displayName" FROM users')
    assert (row.username, row.displayName) == ("ok.user", "Okay User")


async def test_sign_ins_are_audited(app_and_users: AppAndUsers) -> None:
    _, users = app_and_users
    await users.create("audit@example.com")
    [row] = await _rows(users, 'SELECT action, "ipAddress", metadata FROM "AuditLog"')
    assert row.action == "USER_LOGIN" and row.metadata == {"provider": "email"}

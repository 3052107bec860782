"""Helpers of the platform tests (test_platform_*.py): operation calls over HTTP, a team
of signed-in users with every role, mail links from the SMTP test server, SQL reads."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from .conftest import Users

AppAndUsers = tuple[httpx.AsyncClient, Users]
ROLES = ("OWNER", "ADMIN", "MEMBER", "VIEWER")


async def call(
    client: httpx.AsyncClient, op: str, args: Any, headers: dict[str, str]
) -> httpx.Response:
    return await client.post(f"/operations/{op}", json=args, headers=headers)


async def ok(client: httpx.AsyncClient, op: str, args: Any, headers: dict[str, str]) -> Any:
    response = await call(client, op, args, headers)
    assert response.status_code == 200, (op, response.status_code, response.text)
    return response.json()


async def sql(url: str, statement: str, **params: Any) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(sa.text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def audit_rows(url: str, action: str) -> list[Any]:
    return await sql(
        url,
        'SELECT * FROM "AuditLog" WHERE action = CAST(:action AS audit_action) ORDER BY id',
        action=action,
    )


async def mail_token(users: Users, email: str, path: str, *, skip: int = 0) -> str:
    """The token of the (skip+1)-th mail to ``email`` whose text links to ``path``."""
    pattern = re.compile(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)")
    for _ in range(200):
        found = []
        for received in list(users.smtp.inbox.received):
            if email in received.rcpt_tos:
                text = received.message.get_body(preferencelist=("plain",)).get_content()
                match = pattern.search(text)
                if match:
                    found.append(match.group(1))
        if len(found) > skip:
            return found[skip]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no mail to {email} linking to {path}")


@dataclass
class Team:
    """A workspace with one signed-in user per role, and a stranger."""

    client: httpx.AsyncClient
    users: Users
    workspace_id: str
    headers: dict[str, dict[str, str]]  # role (and "STRANGER") -> auth headers
    ids: dict[str, str]  # role -> user id

    def __getitem__(self, role: str) -> dict[str, str]:
        return self.headers[role]


async def add_member(users: Users, workspace_id: str, user_id: str, role: str) -> None:
    await sql(
        users.url,
        'INSERT INTO "WorkspaceMember" ("userId", "workspaceId", role) '
        "VALUES (:u, :w, CAST(:r AS role))",
        u=user_id,
        w=workspace_id,
        r=role,
    )


async def make_team(client: httpx.AsyncClient, users: Users, *, plan: str = "PRO") -> Team:
    headers: dict[str, dict[str, str]] = {}
    ids: dict[str, str] = {}
    for role in (*ROLES, "STRANGER"):
        headers[role] = await users.create(f"{role.lower()}@example.com")
        ids[role] = await users.user_id(headers[role])
    ws = await ok(client, "create-workspace", {"name": "Acme SOC"}, headers["OWNER"])
    for role in ("ADMIN", "MEMBER", "VIEWER"):
        await add_member(users, ws["id"], ids[role], role)
    # A paid plan, so quota checks stay out of the role tests.
    await sql(
        users.url,
        'UPDATE "Workspace" SET plan = CAST(:p AS plan) WHERE id = :w',
        p=plan,
        w=ws["id"],
    )
    return Team(client, users, ws["id"], headers, ids)


async def make_admin(users: Users, user_id: str) -> None:
    await sql(users.url, 'UPDATE users SET "isAdmin" = true WHERE id = :u', u=user_id)


async def create_admin(users: Users, email: str) -> tuple[dict[str, str], str]:
    """A platform administrator: signed up, flagged in the database, then signed in
    afresh (a new session, so no cached copy of the user predates the flag)."""
    await users.create(email)
    [row] = await sql(users.url, "SELECT id FROM users WHERE email = :e", e=email)
    await make_admin(users, row.id)
    login = await users.client.post(
        "/auth/email/login", json={"email": email, "password": users.PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['sessionId']}"}, row.id

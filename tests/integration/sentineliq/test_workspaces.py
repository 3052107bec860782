"""SentinelIQ's workspace operations over HTTP, on its real schema: membership rules,
validation, conflicts, audit entries, and that a refused change writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Users

pytestmark = pytest.mark.postgres

AppAndUsers = tuple[httpx.AsyncClient, Users]


async def call(client: httpx.AsyncClient, op: str, args: Any, headers: dict[str, str]) -> Any:
    return await client.post(f"/operations/{op}", json=args, headers=headers)


async def test_anonymous_callers_get_401(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    response = await client.post("/operations/get-workspaces")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


async def test_create_makes_the_caller_owner_and_lists_it(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    created = await call(client, "create-workspace", {"name": "Acme Security!"}, ada)
    assert created.status_code == 200, created.text
    workspace = created.json()
    assert workspace["slug"] == "acme-security"
    assert workspace["plan"] == "FREE"
    assert workspace["ipAllowlist"] == []

    listed = await client.get("/operations/get-workspaces", headers=ada)
    assert listed.json() == [
        {
            "id": workspace["id"],
            "name": "Acme Security!",
            "slug": "acme-security",
            "plan": "FREE",
            "role": "OWNER",
        }
    ]
    grace = await users.create("grace@example.com")
    assert (await client.get("/operations/get-workspaces", headers=grace)).json() == []


async def test_arguments_are_validated(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    response = await call(client, "create-workspace", {"name": "", "slug": "Bad Slug"}, ada)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"name", "slug"}


async def test_a_taken_slug_is_a_conflict_and_writes_nothing(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada = await users.create("ada@example.com")
    assert (await call(client, "create-workspace", {"name": "Acme"}, ada)).status_code == 200
    again = await call(client, "create-workspace", {"name": "Other", "slug": "acme"}, ada)
    assert again.status_code == 409
    assert again.json()["error"]["details"] == {"field": "slug"}
    listed = (await client.get("/operations/get-workspaces", headers=ada)).json()
    assert [w["slug"] for w in listed] == ["acme"]


async def test_only_owners_and_admins_update(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada, grace = await users.create("ada@example.com"), await users.create("grace@example.com")
    ws = (await call(client, "create-workspace", {"name": "Acme"}, ada)).json()

    # A stranger cannot tell the workspace exists.
    stranger = await call(client, "update-workspace", {"id": ws["id"], "name": "Mine"}, grace)
    assert stranger.status_code == 404

    await _add_member(users, ws["id"], grace, "VIEWER")
    viewer = await call(client, "update-workspace", {"id": ws["id"], "name": "Mine"}, grace)
    assert viewer.status_code == 403

    owner = await call(
        client,
        "update-workspace",
        {"id": ws["id"], "name": "Acme SOC", "ipAllowlist": ["10.0.0.0/8"]},
        ada,
    )
    assert owner.status_code == 200, owner.text
    assert owner.json()["name"] == "Acme SOC"
    assert owner.json()["ipAllowlist"] == ["10.0.0.0/8"]
    assert owner.json()["updatedAt"] >= ws["updatedAt"]


async def test_only_the_owner_deletes_and_members_go_with_it(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    ada, grace = await users.create("ada@example.com"), await users.create("grace@example.com")
    ws = (await call(client, "create-workspace", {"name": "Acme"}, ada)).json()
    await _add_member(users, ws["id"], grace, "ADMIN")

    refused = await call(client, "delete-workspace", {"id": ws["id"]}, grace)
    assert refused.status_code == 403
    deleted = await call(client, "delete-workspace", {"id": ws["id"]}, ada)
    assert deleted.json() == {"deleted": ws["id"]}
    assert (await client.get("/operations/get-workspaces", headers=grace)).json() == []
    actions = await _audit_actions(users)
    assert actions == ["WORKSPACE_CREATED", "WORKSPACE_DELETED"]


async def _add_member(users: Users, workspace_id: str, headers: dict[str, str], role: str) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from generated.models import WorkspaceMember

    user_id = await users.user_id(headers)
    engine = create_async_engine(users.url)
    try:
        async with AsyncSession(engine) as session:
            session.add(WorkspaceMember(userId=user_id, workspaceId=workspace_id, role=role))
            await session.commit()
    finally:
        await engine.dispose()


async def _audit_actions(users: Users) -> list[str]:
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from generated.models import AuditLog

    engine = create_async_engine(users.url)
    try:
        async with AsyncSession(engine) as session:
            # Workspace actions only: every sign-in is audited too (auth.login).
            rows = await session.scalars(
                select(AuditLog.action)
                .where(AuditLog.resource == "workspace")
                .order_by(AuditLog.id)
            )
            return [a.value for a in rows]
    finally:
        await engine.dispose()

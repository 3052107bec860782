"""Operations guarded by auth and by the workspace helpers."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import current_session, require_role


async def who_am_i(args: None, context: Any) -> dict[str, Any]:
    session = current_session(context)
    return {
        "id": context.user.id,
        "email": context.user.email,
        "session": session.id if session else None,
    }


async def public_hello(args: None, context: Any) -> dict[str, Any]:
    return {"hello": "world", "signedIn": context.user is not None}


async def read_workspace(args: dict[str, str], context: Any) -> dict[str, Any]:
    membership = await require_role(context, args["workspaceId"], "VIEWER")
    return {"role": membership.role.name}


async def rename_workspace(args: dict[str, str], context: Any) -> dict[str, Any]:
    await require_role(context, args["workspaceId"], "ADMIN")
    workspace = await context.session.get(context.entities.Workspace, args["workspaceId"])
    workspace.name = args["name"]
    return {"name": workspace.name}


async def secret(request: Any, context: Any) -> dict[str, Any]:
    return {"secret": 42, "user": context.user.email}

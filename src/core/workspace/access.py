"""Who may touch a workspace: the one door every workspace-scoped read and write goes
through (operations, pages, apis), so the rules live in one place.

``member_of`` wraps the runtime's ``require_role`` (membership, IP allowlist, session
timeout, role) and adds the product's own rule: a soft-deleted or suspended workspace is
gone for everyone but its owner, who may still restore it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sentinel_spec.runtime import HttpError, require_role
from src.core.entities import model

ROLES = ("OWNER", "ADMIN", "MEMBER", "VIEWER")  # strongest first, as app.sq's enum Role


def role_name(role: Any) -> str:
    return str(getattr(role, "name", role))


def require_user(context: Any) -> Any:
    if context.user is None:
        raise HttpError(401, "Sign in first")
    return context.user


async def user_row(context: Any) -> Any:
    """The signed-in user's row in this call's session: ``context.user`` comes from the
    session check and is not attached to it, so changes to the user go through this."""
    user = require_user(context)
    row = await context.session.get(model(context, "User"), user.id)
    if row is None:
        raise HttpError(401, "Sign in first")
    return row


async def member_of(
    context: Any, workspace_id: str, minimum: str = "VIEWER", *, include_deleted: bool = False
) -> Any:
    """The caller's WorkspaceMember row of ``workspace_id`` with at least ``minimum``'s
    rights: 401 signed out or timed out, 404 not a member (or the workspace was deleted),
    403 outside the allowlist or a weaker role. ``include_deleted`` lets the owner reach a
    soft-deleted workspace (restore)."""
    membership = await require_role(context, workspace_id, minimum)
    workspace = model(context, "Workspace")
    state = (
        await context.session.execute(
            select(workspace.deletedAt, workspace.isActive).where(workspace.id == workspace_id)
        )
    ).first()
    if state is None or (state.deletedAt is not None and not include_deleted):
        raise HttpError(404, "Workspace not found")
    if not state.isActive and state.deletedAt is None:
        raise HttpError(
            403, "This workspace is suspended; contact support", {"reason": "suspended"}
        )
    return membership


async def current_workspace_id(context: Any) -> str | None:
    """The signed-in user's current workspace, if they are still a member of it and it is
    not deleted; else None (the caller picks another or asks the user)."""
    if context.user is None:
        return None
    member, workspace, user = (
        model(context, "WorkspaceMember"),
        model(context, "Workspace"),
        model(context, "User"),
    )
    # One query, from the user's row (the session check's copy may be seconds old).
    found = await context.session.scalar(
        select(workspace.id)
        .join(user, user.currentWorkspaceId == workspace.id)
        .join(member, (member.workspaceId == workspace.id) & (member.userId == user.id))
        .where(user.id == context.user.id, workspace.deletedAt.is_(None))
    )
    return str(found) if found is not None else None

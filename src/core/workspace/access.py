"""Who may touch a workspace: the one door every workspace-scoped read and write goes
through (operations, pages, apis), so the rules live in one place.

``member_of`` wraps the runtime's ``require_access`` (membership, IP allowlist, session
timeout, role) and adds the product's own rules: a soft-deleted or suspended workspace is
gone for everyone but its owner, who may still restore it, and a workspace that requires
2FA refuses members who have not turned it on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sentinel_spec.runtime import HttpError, require_access
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


async def has_two_factor(context: Any) -> bool:
    """Whether the signed-in user has 2FA on, from the database: the session check's user
    (and a row loaded from it) may predate turning it on or off."""
    user, user_model = require_user(context), model(context, "User")
    flag = await context.session.scalar(
        select(user_model.twoFactorEnabled).where(user_model.id == user.id)
    )
    return bool(flag)


async def member_of(
    context: Any,
    workspace_id: str,
    minimum: str = "VIEWER",
    *,
    include_deleted: bool = False,
    without_two_factor: bool = False,
) -> Any:
    """The caller's WorkspaceMember row of ``workspace_id`` with at least ``minimum``'s
    rights: 401 signed out or timed out, 404 not a member (or the workspace was deleted),
    403 outside the allowlist, a weaker role, a suspended workspace, or no 2FA where the
    workspace requires it. ``include_deleted`` lets the owner reach a soft-deleted
    workspace (restore); ``without_two_factor`` lets a member the 2FA policy shuts out
    still leave.

    One query: the runtime's membership, allowlist and timeout read carries the
    workspace's state and the caller's 2FA flag (read from the row, not the session
    check's copy, which may predate turning 2FA on)."""
    user = require_user(context)
    workspace, user_model = model(context, "Workspace"), model(context, "User")
    two_factor = (
        select(user_model.twoFactorEnabled).where(user_model.id == user.id).scalar_subquery()
    )
    membership, state = await require_access(
        context,
        workspace_id,
        minimum,
        columns=(workspace.deletedAt, workspace.isActive, workspace.requireTwoFactor, two_factor),
    )
    deleted_at, is_active, require_two_factor, caller_two_factor = state
    if deleted_at is not None and not include_deleted:
        raise HttpError(404, "Workspace not found")
    if not is_active and deleted_at is None:
        raise HttpError(
            403, "This workspace is suspended; contact support", {"reason": "suspended"}
        )
    if require_two_factor and not caller_two_factor and not without_two_factor:
        raise HttpError(
            403,
            "This workspace requires two-factor authentication: turn it on in your account's "
            "security settings (/auth/security) to use it",
            {"reason": "two_factor_required"},
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

"""Accounts: the user's own profile, and the platform administrators' user management
(list, admin flag, suspension, 2FA and password resets, activity, deletion). Secrets are
the framework's (sessions, refresh tokens, TOTP, password reset tokens): these functions
call its services, never copy them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, or_, select

from sentinel_spec.runtime import HttpError
from src.core.admin import require_admin
from src.core.audit.record import audit
from src.core.audit.service import entry_view
from src.core.auth.framework import auth_service
from src.core.entities import model
from src.core.workspace.access import require_user, user_row


def user_view(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "displayName": user.displayName,
        "avatarUrl": user.avatarUrl,
        "jobTitle": user.jobTitle,
        "timezone": user.timezone,
        "locale": user.locale,
        "isAdmin": user.isAdmin,
        "isEmailVerified": user.isEmailVerified,
        "twoFactorEnabled": user.twoFactorEnabled,
        "hasCompletedOnboarding": user.hasCompletedOnboarding,
        "currentWorkspaceId": user.currentWorkspaceId,
        "isSuspended": user.isSuspended,
        "lastLoginAt": user.lastLoginAt,
        "createdAt": user.createdAt,
    }


async def update_profile(context: Any, changes: dict[str, Any]) -> dict[str, Any]:
    user = await user_row(context)
    before = {k: getattr(user, k) for k in changes}
    for key, value in changes.items():
        setattr(user, key, value)
    await audit(
        context,
        workspace_id=None,
        action="USER_UPDATED",
        resource="user",
        resource_id=user.id,
        metadata={"before": before, "after": changes},
    )
    return user_view(user)


async def _target(context: Any, user_id: str) -> Any:
    found = await context.session.get(model(context, "User"), user_id)
    if found is None:
        raise HttpError(404, "User not found")
    return found


async def paginated_users(
    context: Any,
    *,
    page: int,
    page_size: int,
    search: str | None,
    is_admin: bool | None,
    suspended: bool | None,
) -> dict[str, Any]:
    require_admin(context)
    user = model(context, "User")
    where = []
    if search:
        pattern = f"%{search.lower()}%"
        where.append(
            or_(func.lower(user.email).like(pattern), func.lower(user.displayName).like(pattern))
        )
    if is_admin is not None:
        where.append(user.isAdmin.is_(is_admin))
    if suspended is not None:
        where.append(user.isSuspended.is_(suspended))
    total = await context.session.scalar(select(func.count()).select_from(user).where(*where))
    rows = await context.session.scalars(
        select(user)
        .where(*where)
        .order_by(user.createdAt.desc(), user.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return {
        "total": int(total or 0),
        "page": page,
        "pageSize": page_size,
        "items": [user_view(u) for u in rows],
    }


async def set_admin(context: Any, user_id: str, is_admin: bool) -> dict[str, Any]:
    admin = require_admin(context)
    if user_id == admin.id and not is_admin:
        raise HttpError(400, "You cannot remove your own admin rights")
    target = await _target(context, user_id)
    before = target.isAdmin
    target.isAdmin = is_admin
    await audit(
        context,
        workspace_id=None,
        action="UPDATE_USER_ADMIN_STATUS",
        resource="user",
        resource_id=user_id,
        metadata={"before": before, "after": is_admin},
    )
    return user_view(target)


async def suspend_user(
    context: Any, user_id: str, *, suspended: bool, reason: str | None
) -> dict[str, Any]:
    """A suspended user is signed out everywhere now and refused at sign-in
    (src/core/auth/hooks.py, onBeforeLogin) until unsuspended."""
    admin = require_admin(context)
    if user_id == admin.id:
        raise HttpError(400, "You cannot suspend yourself")
    target = await _target(context, user_id)
    target.isSuspended = suspended
    target.suspendedAt = dt.datetime.now(dt.UTC) if suspended else None
    target.suspendedReason = reason if suspended else None
    if suspended:
        await auth_service(context).revoke_everything(context.session, user_id)
    await audit(
        context,
        workspace_id=None,
        action="ADMIN_SUSPEND_USER",
        resource="user",
        resource_id=user_id,
        description=reason,
        metadata={"suspended": suspended},
    )
    return user_view(target)


async def reset_two_factor(context: Any, user_id: str) -> dict[str, Any]:
    """For a user who lost their authenticator and backup codes: 2FA off, sessions ended."""
    require_admin(context)
    target = await _target(context, user_id)
    service = auth_service(context)
    await service.two_factor.disable(context.session, user_id)
    target.twoFactorEnabled = False
    await service.revoke_everything(context.session, user_id)
    await audit(
        context, workspace_id=None, action="ADMIN_RESET_2FA", resource="user", resource_id=user_id
    )
    return user_view(target)


async def reset_password(context: Any, user_id: str) -> dict[str, Any]:
    """Every session and refresh token ends; the user gets the framework's own reset
    link by email (1 hour). The admin never sees or sets a password."""
    from sentinel_spec.runtime.auth import emails
    from sentinel_spec.runtime.auth.one_time import RESET_PASSWORD

    require_admin(context)
    target = await _target(context, user_id)
    service = auth_service(context)
    await service.revoke_everything(context.session, user_id)
    if service.config.email is None:
        raise HttpError(409, "This app has no email sign-in")
    token = await service.one_time.issue(context.session, user_id, RESET_PASSWORD)
    content = await emails.password_reset(
        service.config, service.config.email, target, target.email, token
    )
    await context.email.send(
        to=target.email, subject=content.subject, text=content.text, html=content.html
    )
    await audit(
        context,
        workspace_id=None,
        action="ADMIN_RESET_PASSWORD",
        resource="user",
        resource_id=user_id,
    )
    return {"userId": user_id, "resetEmailSent": True}


async def user_activity(context: Any, user_id: str | None, *, limit: int) -> list[dict[str, Any]]:
    """A user's own audit trail (anyone, for themselves; admins, for anyone)."""
    me = require_user(context)
    if user_id is None or user_id == me.id:
        user_id = me.id
    else:
        require_admin(context)
    log = model(context, "AuditLog")
    rows = await context.session.scalars(
        select(log)
        .where(log.userId == user_id)
        .order_by(log.createdAt.desc(), log.id.desc())
        .limit(limit)
    )
    return [entry_view(r) for r in rows]


async def delete_user(context: Any, user_id: str) -> dict[str, Any]:
    """The account and what only it owned: workspaces where it is the OWNER go with it
    (their members lose access), memberships and messages by cascade; audit rows stay,
    unlinked."""
    admin = require_admin(context)
    if user_id == admin.id:
        raise HttpError(400, "You cannot delete your own account here")
    target = await _target(context, user_id)
    member, workspace = model(context, "WorkspaceMember"), model(context, "Workspace")
    owned = list(
        await context.session.scalars(
            select(member.workspaceId).where(member.userId == user_id, member.role == "OWNER")
        )
    )
    await auth_service(context).revoke_everything(context.session, user_id)
    if owned:
        await context.session.execute(delete(workspace).where(workspace.id.in_(owned)))
    email = target.email
    await context.session.delete(target)
    await audit(
        context,
        workspace_id=None,
        action="ADMIN_DELETE_USER",
        resource="user",
        resource_id=user_id,
        metadata={"email": email, "workspacesDeleted": owned},
    )
    return {"deleted": user_id, "workspacesDeleted": owned}

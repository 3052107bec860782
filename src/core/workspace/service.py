"""Workspaces themselves: list, read, create, update, soft delete and restore, switch,
branding, session timeout, usage and export. Plain functions of ``(context, ...)``: the
operations wrap them, pages call them directly. Every change writes its audit row in the
same transaction."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from sqlalchemy import func, select, update

from sentinel_spec.runtime import HttpError
from src.core.audit.record import audit
from src.core.entities import model
from src.core.workspace.access import (
    has_two_factor,
    member_of,
    require_user,
    role_name,
    user_row,
)
from src.core.workspace.events import publish
from src.core.workspace.quotas import check_workspace_quota, member_limit, seats_taken
from src.core.workspace.views import workspace_view

PURGE_AFTER = dt.timedelta(days=30)  # soft-deleted workspaces are restorable this long
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50]
    return slug if len(slug) >= 2 else f"workspace-{slug}".strip("-")


async def _get(context: Any, workspace_id: str) -> Any:
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    if ws is None:
        raise HttpError(404, "Workspace not found")
    return ws


# ------------------------------------------------------------------ reads


def workspaces_query(context: Any, user_id: Any = None) -> Any:
    """The caller's workspaces (not deleted) and their role, newest first: rows of
    ``(Workspace, role)``, to which a caller may add columns (the pages' layout adds the
    unread count, to read both in one round trip). ``user_id``: the caller's id by
    default, or a ``bindparam`` for a statement built once and reused."""
    if user_id is None:
        user_id = require_user(context).id
    workspace, member = model(context, "Workspace"), model(context, "WorkspaceMember")
    return (
        select(workspace, member.role)
        .join(member, member.workspaceId == workspace.id)
        .where(member.userId == user_id, workspace.deletedAt.is_(None))
        .order_by(workspace.createdAt.desc(), workspace.id)
    )


async def list_workspaces(context: Any) -> list[dict[str, Any]]:
    """The caller's workspaces (not deleted) with their role, newest first."""
    rows = await context.session.execute(workspaces_query(context))
    return [workspace_view(ws, role) for ws, role in rows]


async def current_workspace(context: Any) -> dict[str, Any] | None:
    """The current workspace; when it is unset or no longer the caller's, their newest
    workspace stands in (None when they have none)."""
    user = await user_row(context)  # fresh: the session check's copy may be seconds old
    workspace, member = model(context, "Workspace"), model(context, "WorkspaceMember")
    query = (
        select(workspace, member.role)
        .join(member, member.workspaceId == workspace.id)
        .where(member.userId == user.id, workspace.deletedAt.is_(None))
    )
    row = None
    if user.currentWorkspaceId:
        row = (
            await context.session.execute(query.where(workspace.id == user.currentWorkspaceId))
        ).first()
    if row is None:
        row = (
            await context.session.execute(query.order_by(workspace.createdAt.desc()).limit(1))
        ).first()
    if row is None:
        return None
    await member_of(context, row[0].id)  # allowlist and timeout apply to reads too
    return workspace_view(row[0], row[1])


async def workspace_by_id(context: Any, workspace_id: str) -> dict[str, Any]:
    membership = await member_of(context, workspace_id)
    return workspace_view(await _get(context, workspace_id), membership.role)


async def slug_available(context: Any, slug: str) -> dict[str, Any]:
    require_user(context)
    workspace = model(context, "Workspace")
    taken = await context.session.scalar(select(workspace.id).where(workspace.slug == slug))
    return {"slug": slug, "available": taken is None}


async def usage(context: Any, workspace_id: str) -> dict[str, Any]:
    """Seats and storage against the plan (any member may see them)."""
    await member_of(context, workspace_id)
    ws = await _get(context, workspace_id)
    member = model(context, "WorkspaceMember")
    members = await context.session.scalar(
        select(func.count()).select_from(member).where(member.workspaceId == workspace_id)
    )
    return {
        "plan": workspace_view(ws)["plan"],
        "members": int(members or 0),
        "seatsTaken": await seats_taken(context, workspace_id),
        "maxMembers": member_limit(ws),
        "storageUsedBytes": int(ws.storageUsedBytes),
        "storageQuotaBytes": int(ws.storageQuotaBytes),
    }


async def storage_stats(context: Any, workspace_id: str) -> dict[str, Any]:
    await member_of(context, workspace_id)
    ws = await _get(context, workspace_id)
    used, quota = int(ws.storageUsedBytes), int(ws.storageQuotaBytes)
    return {
        "usedBytes": used,
        "quotaBytes": quota,
        "availableBytes": max(quota - used, 0),
        "percentUsed": round(100 * used / quota, 2) if quota else 100.0,
    }


# ------------------------------------------------------------------ changes


async def create_workspace(
    context: Any, *, name: str, slug: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """The caller becomes its OWNER; it becomes their current workspace if they had none."""
    user = require_user(context)
    name = name.strip()
    if not name:
        raise HttpError(
            400,
            "name must not be blank",
            [{"field": "name", "message": "blank"}],
            code="validation_error",
        )
    await check_workspace_quota(context, user.id)
    await context.rate_limit("workspaceCreate")  # 5/hour per user (app.sq)
    workspace, member = model(context, "Workspace"), model(context, "WorkspaceMember")
    if slug is not None:
        if await context.session.scalar(select(workspace.id).where(workspace.slug == slug)):
            raise HttpError(409, f"the slug {slug!r} is taken", {"field": "slug"})
    else:
        slug = slugify(name)
        while await context.session.scalar(select(workspace.id).where(workspace.slug == slug)):
            slug = f"{slugify(name)[:50]}-{secrets.token_hex(3)}"
    ws = workspace(name=name, slug=slug, description=description, ownerId=user.id, ipAllowlist=[])
    context.session.add(ws)
    await context.session.flush()
    context.session.add(member(userId=user.id, workspaceId=ws.id, role="OWNER"))
    me = await user_row(context)
    if not me.currentWorkspaceId:
        me.currentWorkspaceId = user.currentWorkspaceId = ws.id
    await audit(
        context,
        workspace_id=ws.id,
        action="WORKSPACE_CREATED",
        resource="workspace",
        resource_id=ws.id,
        description=f"created workspace {name!r}",
        metadata={"slug": slug},
    )
    await context.session.flush()
    await context.session.refresh(ws)
    return workspace_view(ws, "OWNER")


async def update_workspace(
    context: Any, workspace_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Name, description and settings; owners and admins."""
    membership = await member_of(context, workspace_id, "ADMIN")
    await context.rate_limit("workspaceUpdate")  # 30/minute per user (app.sq)
    ws = await _get(context, workspace_id)
    before = {k: getattr(ws, k) for k in changes}
    for key, value in changes.items():
        setattr(ws, key, value.strip() if isinstance(value, str) else value)
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_UPDATED",
        resource="workspace",
        resource_id=workspace_id,
        description=f"updated {', '.join(sorted(changes)) or 'nothing'}",
        metadata={"before": before, "after": {k: getattr(ws, k) for k in changes}},
    )
    return await _saved(context, ws, membership.role)


async def update_branding(
    context: Any, workspace_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    membership = await member_of(context, workspace_id, "ADMIN")
    await context.rate_limit("workspaceUpdate")
    ws = await _get(context, workspace_id)
    before = {k: getattr(ws, k) for k in changes}
    for key, value in changes.items():
        setattr(ws, key, value)
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_BRANDING_UPDATED",
        resource="workspace",
        resource_id=workspace_id,
        metadata={"before": before, "after": changes},
    )
    return await _saved(context, ws, membership.role)


async def update_session_timeout(context: Any, workspace_id: str, minutes: int) -> dict[str, Any]:
    """Only the OWNER tightens or loosens the workspace's idle timeout."""
    membership = await member_of(context, workspace_id, "OWNER")
    await context.rate_limit("workspaceUpdate")
    ws = await _get(context, workspace_id)
    before = ws.sessionTimeoutMins
    ws.sessionTimeoutMins = minutes
    await _security_updated(
        context,
        workspace_id,
        "sessionTimeoutMins",
        before,
        minutes,
        f"session timeout {before} -> {minutes} minutes",
    )
    return await _saved(context, ws, membership.role)


async def update_two_factor_policy(
    context: Any, workspace_id: str, required: bool
) -> dict[str, Any]:
    """Only the OWNER decides whether every member needs 2FA (as for the other security
    settings). Turning it on without 2FA oneself is refused: the owner would shut
    themselves out with everyone else."""
    # Loosening the policy stays open to an OWNER who has since turned their 2FA off.
    membership = await member_of(context, workspace_id, "OWNER", without_two_factor=not required)
    await context.rate_limit("workspaceUpdate")
    ws = await _get(context, workspace_id)
    if required and not await has_two_factor(context):
        # 409, not 400: the arguments are fine, the caller's account is not ready.
        raise HttpError(
            409,
            "Turn on two-factor authentication for your own account first",
            {"reason": "self_lockout"},
        )
    before = bool(ws.requireTwoFactor)
    ws.requireTwoFactor = required
    if before != required:
        await _security_updated(
            context,
            workspace_id,
            "requireTwoFactor",
            before,
            required,
            f"2FA {'required' if required else 'optional'} for members",
        )
    return await _saved(context, ws, membership.role)


async def delete_workspace(context: Any, workspace_id: str) -> dict[str, Any]:
    """Soft delete by the OWNER: hidden at once, restorable for 30 days, then purged by
    the garbage-collection job. Pending invitations and transfers end now."""
    await member_of(context, workspace_id, "OWNER")
    ws = await _get(context, workspace_id)
    when = now()
    ws.deletedAt = when
    invitation, transfer = (
        model(context, "WorkspaceInvitation"),
        model(context, "OwnershipTransferConfirmation"),
    )
    await context.session.execute(
        update(invitation)
        .where(
            invitation.workspaceId == workspace_id,
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
        )
        .values(revokedAt=when)
    )
    await context.session.execute(
        transfer.__table__.delete().where(
            transfer.workspaceId == workspace_id, transfer.confirmedAt.is_(None)
        )
    )
    user = model(context, "User")
    await context.session.execute(
        update(user).where(user.currentWorkspaceId == workspace_id).values(currentWorkspaceId=None)
    )
    context.user.currentWorkspaceId = (
        None if context.user.currentWorkspaceId == workspace_id else context.user.currentWorkspaceId
    )
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_DELETED",
        resource="workspace",
        resource_id=workspace_id,
        description=f"deleted workspace {ws.name!r} (restorable for 30 days)",
    )
    await publish(
        context,
        "workspace.deleted",
        workspace_id=workspace_id,
        title="Workspace deleted",
        message=f"{context.user.email} deleted the workspace {ws.name}.",
        severity="WARNING",
        data={"workspaceId": workspace_id, "purgeAfter": (when + PURGE_AFTER).isoformat()},
    )
    return {"deleted": workspace_id, "purgeAfter": when + PURGE_AFTER}


async def restore_workspace(context: Any, workspace_id: str) -> dict[str, Any]:
    membership = await member_of(context, workspace_id, "OWNER", include_deleted=True)
    ws = await _get(context, workspace_id)
    if ws.deletedAt is None:
        raise HttpError(409, "This workspace is not deleted")
    ws.deletedAt = None
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_RESTORED",
        resource="workspace",
        resource_id=workspace_id,
        description=f"restored workspace {ws.name!r}",
    )
    return await _saved(context, ws, membership.role)


async def switch_workspace(context: Any, workspace_id: str) -> dict[str, Any]:
    membership = await member_of(context, workspace_id)
    ws = await _get(context, workspace_id)
    me = await user_row(context)
    before = me.currentWorkspaceId
    me.currentWorkspaceId = context.user.currentWorkspaceId = workspace_id
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_SWITCHED",
        resource="user",
        resource_id=context.user.id,
        metadata={"from": before, "to": workspace_id},
    )
    return workspace_view(ws, membership.role)


async def complete_onboarding(context: Any) -> dict[str, Any]:
    user = await user_row(context)
    if not user.hasCompletedOnboarding:
        user.hasCompletedOnboarding = True
        user.onboardingCompletedAt = now()
        await audit(
            context,
            workspace_id=user.currentWorkspaceId,
            action="ONBOARDING_COMPLETED",
            resource="user",
            resource_id=user.id,
        )
    return {"hasCompletedOnboarding": True, "onboardingCompletedAt": user.onboardingCompletedAt}


async def export_workspace_data(context: Any, workspace_id: str) -> dict[str, Any]:
    """Everything the workspace holds about itself (GDPR-style): its settings, members,
    invitations. OWNER and ADMIN; the export is audited."""
    from src.core.workspace.members import list_invitations, list_members

    membership = await member_of(context, workspace_id, "ADMIN")
    ws = await _get(context, workspace_id)
    data = {
        "exportedAt": now(),
        "workspace": workspace_view(ws),
        "members": await list_members(context, workspace_id),
        "invitations": await list_invitations(context, workspace_id, include_closed=True),
    }
    await audit(
        context,
        workspace_id=workspace_id,
        action="DATA_EXPORTED",
        resource="workspace",
        resource_id=workspace_id,
        metadata={"kind": "workspace", "role": role_name(membership.role)},
    )
    return data


async def _saved(context: Any, ws: Any, role: str) -> dict[str, Any]:
    """The workspace as its caller sees it once the change is written (server defaults
    and onupdate columns included)."""
    await context.session.flush()
    await context.session.refresh(ws)
    return workspace_view(ws, role)


async def _security_updated(
    context: Any, workspace_id: str, field: str, before: Any, after: Any, description: str
) -> None:
    await audit(
        context,
        workspace_id=workspace_id,
        action="WORKSPACE_SECURITY_UPDATED",
        resource="workspace",
        resource_id=workspace_id,
        description=description,
        metadata={"field": field, "before": before, "after": after},
    )

"""Members and invitations: who is in a workspace, with which role, and how people join.

Rules (docs/sentineliq.md, Roles):
- anyone in the workspace sees its members; OWNER and ADMIN see and send invitations;
- only the OWNER grants or takes away ADMIN; admins manage MEMBER and VIEWER seats;
- nobody changes their own role or removes themselves (they leave); the OWNER is never
  removed or demoted here (ownership is transferred, ownership.py);
- joining is always by an emailed, expiring (7 days), single-use invitation whose token
  is stored as its digest; the answer to an invitation never says whether the address
  already has an account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update

from sentinel_spec.runtime import HttpError
from src.core.audit.record import audit
from src.core.entities import model
from src.core.links import app_link
from src.core.tokens import new_token, token_digest
from src.core.workspace.access import ROLES, member_of, require_user, role_name, user_row
from src.core.workspace.events import publish
from src.core.workspace.quotas import check_member_quota
from src.core.workspace.views import invitation_view, member_view

INVITATION_TTL = dt.timedelta(days=7)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def may_grant(actor_role: Any, role: str) -> bool:
    """OWNER grants ADMIN, MEMBER, VIEWER; ADMIN grants MEMBER and VIEWER."""
    if role == "OWNER":
        return False
    actor = role_name(actor_role)
    return actor == "OWNER" or (actor == "ADMIN" and ROLES.index(role) >= ROLES.index("MEMBER"))


async def _workspace(context: Any, workspace_id: str) -> Any:
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    if ws is None:
        raise HttpError(404, "Workspace not found")
    return ws


async def _membership_of(context: Any, workspace_id: str, user_id: str) -> Any:
    member = model(context, "WorkspaceMember")
    found = await context.session.scalar(
        select(member).where(member.workspaceId == workspace_id, member.userId == user_id)
    )
    if found is None:
        raise HttpError(404, "Member not found")
    return found


# ------------------------------------------------------------------ members


async def list_members(context: Any, workspace_id: str) -> list[dict[str, Any]]:
    await member_of(context, workspace_id)
    member, user = model(context, "WorkspaceMember"), model(context, "User")
    rows = await context.session.execute(
        select(member, user)
        .join(user, user.id == member.userId)
        .where(member.workspaceId == workspace_id)
        .order_by(member.joinedAt, member.id)
    )
    return [member_view(m, u) for m, u in rows]


async def remove_member(context: Any, workspace_id: str, user_id: str) -> dict[str, Any]:
    actor = await member_of(context, workspace_id, "ADMIN")
    if user_id == context.user.id:
        raise HttpError(400, "Use leave workspace to remove yourself")
    target = await _membership_of(context, workspace_id, user_id)
    target_role = role_name(target.role)
    if target_role == "OWNER":
        raise HttpError(403, "The owner cannot be removed; transfer ownership first")
    if not may_grant(actor.role, target_role):
        raise HttpError(403, "Only the owner removes admins", {"reason": "role"})
    ws = await _workspace(context, workspace_id)
    # Told while still a member (the bus addresses members only), then removed.
    await publish(
        context,
        "member.removed",
        workspace_id=workspace_id,
        title="Member removed",
        message=f"A {target_role.lower()} was removed from {ws.name}.",
        data={"userId": user_id, "role": target_role},
        user_ids=[user_id] + await _admin_ids(context, workspace_id),
    )
    await context.session.delete(target)
    await _forget_current(context, workspace_id, user_id)
    await audit(
        context,
        workspace_id=workspace_id,
        action="MEMBER_REMOVED",
        resource="member",
        resource_id=user_id,
        metadata={"role": target_role},
    )
    return {"removed": user_id}


async def update_member_role(
    context: Any, workspace_id: str, user_id: str, role: str
) -> dict[str, Any]:
    actor = await member_of(context, workspace_id, "ADMIN")
    if user_id == context.user.id:
        raise HttpError(400, "You cannot change your own role")
    if role == "OWNER":
        raise HttpError(400, "Transfer ownership to make someone the owner")
    target = await _membership_of(context, workspace_id, user_id)
    before = role_name(target.role)
    if before == "OWNER":
        raise HttpError(403, "The owner's role changes only by an ownership transfer")
    if not (may_grant(actor.role, before) and may_grant(actor.role, role)):
        raise HttpError(
            403, "Only the owner grants or takes away the admin role", {"reason": "role"}
        )
    if before == role:
        return {"userId": user_id, "role": role}
    target.role = role
    await audit(
        context,
        workspace_id=workspace_id,
        action="MEMBER_ROLE_CHANGED",
        resource="member",
        resource_id=user_id,
        metadata={"before": before, "after": role},
    )
    await publish(
        context,
        "member.role_changed",
        workspace_id=workspace_id,
        title="Role changed",
        message=f"Your role is now {role.lower()}.",
        data={"userId": user_id, "before": before, "after": role},
        user_ids=[user_id],
    )
    return {"userId": user_id, "role": role}


async def leave_workspace(context: Any, workspace_id: str) -> dict[str, Any]:
    # Leaving stays open to a member the workspace's 2FA policy shuts out.
    membership = await member_of(context, workspace_id, without_two_factor=True)
    if role_name(membership.role) == "OWNER":
        raise HttpError(400, "The owner cannot leave: transfer ownership or delete the workspace")
    await context.session.delete(membership)
    await _forget_current(context, workspace_id, context.user.id)
    await audit(
        context,
        workspace_id=workspace_id,
        action="MEMBER_LEFT",
        resource="member",
        resource_id=context.user.id,
        metadata={"role": role_name(membership.role)},
    )
    await publish(
        context,
        "member.left",
        workspace_id=workspace_id,
        title="Member left",
        message=f"{context.user.email} left the workspace.",
        data={"userId": context.user.id},
        user_ids=await _admin_ids(context, workspace_id),
    )
    return {"left": workspace_id}


async def _forget_current(context: Any, workspace_id: str, user_id: str) -> None:
    user = model(context, "User")
    await context.session.execute(
        update(user)
        .where(user.id == user_id, user.currentWorkspaceId == workspace_id)
        .values(currentWorkspaceId=None)
        .execution_options(synchronize_session="fetch")
    )


async def _admin_ids(context: Any, workspace_id: str) -> list[str]:
    member = model(context, "WorkspaceMember")
    rows = await context.session.scalars(
        select(member.userId).where(
            member.workspaceId == workspace_id, member.role.in_(["OWNER", "ADMIN"])
        )
    )
    return [str(r) for r in rows]


# ------------------------------------------------------------------ invitations


async def send_invitation(context: Any, workspace_id: str, email: str, role: str) -> dict[str, Any]:
    """Mail a 7-day, single-use link. A pending invitation for the same address is
    replaced (its link stops working). The answer is the same whether or not the address
    has an account."""
    actor = await member_of(context, workspace_id, "ADMIN")
    if not may_grant(actor.role, role):
        raise HttpError(403, f"You cannot invite someone as {role}", {"reason": "role"})
    email = email.strip().lower()
    member, user, invitation = (
        model(context, "WorkspaceMember"),
        model(context, "User"),
        model(context, "WorkspaceInvitation"),
    )
    already = await context.session.scalar(
        select(member.id)
        .join(user, user.id == member.userId)
        .where(member.workspaceId == workspace_id, func.lower(user.email) == email)
    )
    if already is not None:
        raise HttpError(409, "This address already belongs to a member", {"field": "email"})
    await context.rate_limit("memberInvite", key=f"workspace:{workspace_id}")  # 20/hour
    when = _now()
    await context.session.execute(
        update(invitation)
        .where(
            invitation.workspaceId == workspace_id,
            invitation.email == email,
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
        )
        .values(revokedAt=when)
    )
    ws = await _workspace(context, workspace_id)
    await check_member_quota(context, ws)
    token = new_token()
    row = invitation(
        workspaceId=workspace_id,
        email=email,
        role=role,
        tokenDigest=token_digest(token),
        invitedById=context.user.id,
        expiresAt=when + INVITATION_TTL,
    )
    context.session.add(row)
    await context.session.flush()
    await context.email.send(
        to=email,
        template="invitation",
        data={
            "workspace": ws.name,
            "inviter": context.user.displayName or context.user.email,
            "role": role.lower(),
            "link": app_link(context, "/invitations/accept", token=token),
            "expires": row.expiresAt.strftime("%Y-%m-%d %H:%M UTC"),
        },
    )
    await audit(
        context,
        workspace_id=workspace_id,
        action="INVITATION_SENT",
        resource="invitation",
        resource_id=row.id,
        description=f"invited {email} as {role}",
        metadata={"email": email, "role": role},
    )
    await publish(
        context,
        "member.invited",
        workspace_id=workspace_id,
        title="Member invited",
        message=f"{email} was invited as {role.lower()}.",
        data={"email": email, "role": role, "invitationId": row.id},
        user_ids=await _admin_ids(context, workspace_id),
    )
    await context.session.refresh(row)
    return invitation_view(row)


async def list_invitations(
    context: Any, workspace_id: str, *, include_closed: bool = False
) -> list[dict[str, Any]]:
    await member_of(context, workspace_id, "ADMIN")
    invitation = model(context, "WorkspaceInvitation")
    query = select(invitation).where(invitation.workspaceId == workspace_id)
    if not include_closed:
        query = query.where(
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
            invitation.expiresAt > func.now(),
        )
    rows = await context.session.scalars(query.order_by(invitation.createdAt.desc()))
    return [invitation_view(r) for r in rows]


async def revoke_invitation(context: Any, workspace_id: str, invitation_id: str) -> dict[str, Any]:
    await member_of(context, workspace_id, "ADMIN")
    invitation = model(context, "WorkspaceInvitation")
    ended = await context.session.scalar(
        update(invitation)
        .where(
            invitation.id == invitation_id,
            invitation.workspaceId == workspace_id,
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
        )
        .values(revokedAt=_now())
        .returning(invitation.email)
    )
    if ended is None:
        raise HttpError(404, "No pending invitation with this id")
    await audit(
        context,
        workspace_id=workspace_id,
        action="INVITATION_REVOKED",
        resource="invitation",
        resource_id=invitation_id,
        metadata={"email": ended},
    )
    return {"revoked": invitation_id}


async def accept_invitation(context: Any, token: str) -> dict[str, Any]:
    """Join with a link's token: signed in as the invited, verified address; the token is
    claimed with one conditional UPDATE, so it works once even under concurrent clicks."""
    user = require_user(context)
    invitation, member = model(context, "WorkspaceInvitation"), model(context, "WorkspaceMember")
    found = await context.session.scalar(
        select(invitation).where(invitation.tokenDigest == token_digest(token))
    )
    if found is None:
        raise HttpError(404, "Invitation not found")
    if found.acceptedAt is not None or found.revokedAt is not None:
        raise HttpError(410, "This invitation was already used or withdrawn", {"reason": "used"})
    if found.expiresAt <= _now():
        raise HttpError(
            410, "This invitation has expired; ask for a new one", {"reason": "expired"}
        )
    if (user.email or "").lower() != found.email.lower():
        raise HttpError(403, "This invitation was sent to another address", {"reason": "email"})
    if not user.isEmailVerified:
        raise HttpError(403, "Verify your email address first", {"reason": "unverified"})
    ws = await _workspace(context, found.workspaceId)
    if ws.deletedAt is not None:
        raise HttpError(410, "This workspace was deleted", {"reason": "deleted"})
    existing = await context.session.scalar(
        select(member.id).where(member.workspaceId == ws.id, member.userId == user.id)
    )
    if existing is not None:
        raise HttpError(409, "You are already a member of this workspace")
    claimed = await context.session.scalar(
        update(invitation)
        .where(
            invitation.id == found.id,
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
            invitation.expiresAt > func.now(),
        )
        .values(acceptedAt=_now(), acceptedById=user.id)
        .returning(invitation.id)
    )
    if claimed is None:
        raise HttpError(410, "This invitation was already used or withdrawn", {"reason": "used"})
    role = role_name(found.role)
    context.session.add(member(userId=user.id, workspaceId=ws.id, role=role))
    me = await user_row(context)
    if not me.currentWorkspaceId:
        me.currentWorkspaceId = ws.id
    await context.session.flush()  # the bus addresses every member, the new one included
    await audit(
        context,
        workspace_id=ws.id,
        action="INVITATION_ACCEPTED",
        resource="member",
        resource_id=user.id,
        description=f"{user.email} joined as {role}",
        metadata={"invitationId": found.id, "role": role, "invitedById": found.invitedById},
    )
    await publish(
        context,
        "member.joined",
        workspace_id=ws.id,
        title="New member",
        message=f"{user.email} joined {ws.name} as {role.lower()}.",
        data={"userId": user.id, "role": role},
    )
    return {"workspaceId": ws.id, "name": ws.name, "slug": ws.slug, "role": role}

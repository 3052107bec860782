"""What each plan allows (the original's numbers): members per workspace, workspaces per
owner, storage. ``None`` means unlimited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from sentinel_spec.runtime import HttpError
from src.core.entities import model

GB = 1024**3


@dataclass(frozen=True)
class PlanQuotas:
    max_members: int | None
    max_workspaces: int | None
    storage_bytes: int | None


PLANS: dict[str, PlanQuotas] = {
    "FREE": PlanQuotas(max_members=3, max_workspaces=1, storage_bytes=1 * GB),
    "HOBBY": PlanQuotas(max_members=10, max_workspaces=3, storage_bytes=10 * GB),
    "PRO": PlanQuotas(max_members=None, max_workspaces=None, storage_bytes=100 * GB),
    "ENTERPRISE": PlanQuotas(max_members=None, max_workspaces=None, storage_bytes=None),
}
RANK = ["FREE", "HOBBY", "PRO", "ENTERPRISE"]


def plan_name(plan: Any) -> str:
    return str(getattr(plan, "name", plan) or "FREE").upper()


def quotas_of(plan: Any) -> PlanQuotas:
    return PLANS.get(plan_name(plan), PLANS["FREE"])


def member_limit(workspace: Any) -> int | None:
    override = getattr(workspace, "maxMembersOverride", None)
    return override if override is not None else quotas_of(workspace.plan).max_members


async def seats_taken(context: Any, workspace_id: str) -> int:
    """Members plus pending invitations: an invitation holds its seat until it ends."""
    member, invitation = model(context, "WorkspaceMember"), model(context, "WorkspaceInvitation")
    members = await context.session.scalar(
        select(func.count()).select_from(member).where(member.workspaceId == workspace_id)
    )
    pending = await context.session.scalar(
        select(func.count())
        .select_from(invitation)
        .where(
            invitation.workspaceId == workspace_id,
            invitation.acceptedAt.is_(None),
            invitation.revokedAt.is_(None),
            invitation.expiresAt > func.now(),
        )
    )
    return int(members or 0) + int(pending or 0)


async def check_member_quota(context: Any, workspace: Any, *, adding: int = 1) -> None:
    limit = member_limit(workspace)
    if limit is None:
        return
    taken = await seats_taken(context, workspace.id)
    if taken + adding > limit:
        raise HttpError(
            403,
            f"The {plan_name(workspace.plan).title()} plan allows {limit} members "
            "(pending invitations count); upgrade for more",
            {"reason": "quota", "quota": "members", "limit": limit, "used": taken},
        )


async def check_workspace_quota(context: Any, user_id: str) -> None:
    """An owner's workspace count is limited by the best plan among those they own
    (nothing owned yet: the free plan's one)."""
    workspace = model(context, "Workspace")
    rows = (
        await context.session.execute(
            select(workspace.plan).where(
                workspace.ownerId == user_id, workspace.deletedAt.is_(None)
            )
        )
    ).all()
    plans = [plan_name(r.plan) for r in rows]
    best = max(plans, key=RANK.index) if plans else "FREE"
    limit = quotas_of(best).max_workspaces
    if limit is not None and len(plans) >= limit:
        raise HttpError(
            403,
            f"Your {best.title()} plan allows {limit} workspace(s); upgrade for more",
            {"reason": "quota", "quota": "workspaces", "limit": limit, "used": len(plans)},
        )

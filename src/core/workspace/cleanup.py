"""The workspace jobs: expired invitations and ownership transfers go, and workspaces
soft-deleted more than 30 days ago are purged (members, invitations and transfers by
cascade; their audit rows stay, unlinked, with a WORKSPACE_PURGED row of their own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select

from src.core.audit.record import audit
from src.core.logs.record import system_log
from src.core.workspace.service import PURGE_AFTER

REVOKED_KEPT = dt.timedelta(days=30)  # withdrawn invitations stay visible a while


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def cleanup_expired_invitations(args: Any, context: Any) -> dict[str, int]:
    """Unaccepted invitations past their expiry, and withdrawn ones after 30 days;
    accepted ones are the record of who joined how, and stay."""
    invitation = context.entities.WorkspaceInvitation
    now = _now()
    result = await context.session.execute(
        delete(invitation).where(
            invitation.acceptedAt.is_(None),
            or_(invitation.expiresAt < now, invitation.revokedAt < now - REVOKED_KEPT),
        )
    )
    return {"deleted": result.rowcount or 0}


async def cleanup_expired_ownership_transfers(args: Any, context: Any) -> dict[str, int]:
    transfer = context.entities.OwnershipTransferConfirmation
    result = await context.session.execute(
        delete(transfer).where(transfer.confirmedAt.is_(None), transfer.expiresAt < _now())
    )
    return {"deleted": result.rowcount or 0}


async def garbage_collect_workspaces(args: Any, context: Any) -> dict[str, Any]:
    workspace = context.entities.Workspace
    cutoff = _now() - PURGE_AFTER
    doomed = (
        await context.session.execute(
            select(workspace.id, workspace.name, workspace.deletedAt).where(
                workspace.deletedAt.is_not(None), workspace.deletedAt <= cutoff
            )
        )
    ).all()
    for row in doomed:
        await audit(
            context,
            workspace_id=None,  # the row outlives the workspace
            action="WORKSPACE_PURGED",
            resource="workspace",
            resource_id=row.id,
            description=f"purged workspace {row.name!r}, deleted {row.deletedAt:%Y-%m-%d}",
        )
    if doomed:
        await context.session.execute(
            delete(workspace).where(workspace.id.in_([r.id for r in doomed]))
        )
        await system_log(
            context,
            "INFO",
            "workspace-gc",
            "purged soft-deleted workspaces",
            {"count": len(doomed)},
        )
    return {"purged": [r.id for r in doomed]}

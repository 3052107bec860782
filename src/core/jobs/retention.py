"""Retention: audit-log entries past their window, invitations past their expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete

RETENTION_DAYS = 365


async def cleanup_audit_logs(args: Any, context: Any) -> dict[str, int]:
    """Delete audit-log entries older than ``args["days"]`` (default 365)."""
    log = context.entities.AuditLog
    days = int((args or {}).get("days", RETENTION_DAYS))
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    result = await context.session.execute(delete(log).where(log.createdAt < cutoff))
    return {"deleted": result.rowcount or 0}


async def cleanup_expired_invitations(args: Any, context: Any) -> dict[str, int]:
    """Delete invitations that expired without being accepted (accepted ones are history)."""
    invitation = context.entities.WorkspaceInvitation
    now = dt.datetime.now(dt.UTC)
    result = await context.session.execute(
        delete(invitation).where(invitation.expiresAt < now, invitation.acceptedAt.is_(None))
    )
    return {"deleted": result.rowcount or 0}


# TODO(auth): clean up expired refresh tokens here once the auth feature's token table
# exists (it is not in app.sq yet): delete tokens whose expiry passed or that were revoked.

"""Retention: audit-log entries past their window (invitations: src/core/workspace/cleanup.py)."""

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

"""Audit-log retention: drop entries older than the retention window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete

RETENTION_DAYS = 365


async def cleanup_audit_logs(args: Any, context: Any) -> dict[str, int]:
    log = context.entities.AuditLog
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=RETENTION_DAYS)
    result = await context.session.execute(delete(log).where(log.createdAt < cutoff))
    return {"deleted": result.rowcount or 0}

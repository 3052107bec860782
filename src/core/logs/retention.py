"""System-log retention by level (the original's windows): DEBUG 7 days, INFO 30, WARN 90,
ERROR 180, CRITICAL 365. One DELETE per level, on the (level, createdAt) index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete

from src.core.logs.record import system_log

RETENTION_DAYS = {"DEBUG": 7, "INFO": 30, "WARN": 90, "ERROR": 180, "CRITICAL": 365}


async def cleanup_old_logs(args: Any, context: Any) -> dict[str, int]:
    log = context.entities.SystemLog
    now = dt.datetime.now(dt.UTC)
    deleted: dict[str, int] = {}
    for level, days in RETENTION_DAYS.items():
        result = await context.session.execute(
            delete(log).where(log.level == level, log.createdAt < now - dt.timedelta(days=days))
        )
        deleted[level] = result.rowcount or 0
    if any(deleted.values()):
        await system_log(context, "INFO", "log-retention", "old system logs deleted", deleted)
    return deleted

"""The admin console's system-log reader: filter by level, component, text and time,
newest first, by keyset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from sentinel_spec.runtime import HttpError
from src.core.admin import require_admin
from src.core.entities import model


def log_view(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id),
        "createdAt": row.createdAt,
        "level": getattr(row.level, "name", row.level),
        "component": row.component,
        "message": row.message,
        "metadata": row.metadata_,
    }


async def system_logs(
    context: Any,
    *,
    level: str | None,
    component: str | None,
    search: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    before_id: int | None,
) -> dict[str, Any]:
    require_admin(context)
    log = model(context, "SystemLog")
    query = select(log)
    if level:
        query = query.where(log.level == level)
    if component:
        query = query.where(log.component == component)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(log.message.ilike(f"%{escaped}%", escape="\\"))
    if since:
        query = query.where(log.createdAt >= since)
    if until:
        query = query.where(log.createdAt < until)
    if before_id is not None:
        if before_id < 1:
            raise HttpError(400, "beforeId must be positive", code="validation_error")
        query = query.where(log.id < before_id)
    rows = list(await context.session.scalars(query.order_by(log.id.desc()).limit(limit + 1)))
    items = [log_view(r) for r in rows[:limit]]
    return {"items": items, "nextBeforeId": items[-1]["id"] if len(rows) > limit else None}


async def count_by_level(context: Any) -> dict[str, int]:
    log = model(context, "SystemLog")
    rows = await context.session.execute(select(log.level, sa.func.count()).group_by(log.level))
    return {getattr(level, "name", str(level)): int(n) for level, n in rows}

"""Nightly per-workspace statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select


async def calculate_daily_stats(args: dict[str, Any] | None, context: Any) -> dict[str, int]:
    e = context.entities
    day = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    workspaces = (await context.session.scalars(select(e.Workspace.id))).all()
    for workspace_id in workspaces:
        alerts = await context.session.scalar(
            select(func.count()).select_from(e.Alert).where(e.Alert.workspaceId == workspace_id)
        )
        incidents = await context.session.scalar(
            select(func.count())
            .select_from(e.Incident)
            .where(e.Incident.workspaceId == workspace_id)
        )
        context.session.add(
            e.DailyStats(
                workspaceId=workspace_id, day=day, alertCount=alerts, incidentCount=incidents
            )
        )
    return {"workspaces": len(workspaces)}

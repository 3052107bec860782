"""Nightly per-workspace statistics: what happened on the day that just ended.

Run at 01:00 UTC by cron, it fills one ``DailyStats`` row per workspace for the previous
day (alerts and incidents created that day, cases still open when it runs). Upserted, so
a retry or a second run of the same day rewrites the row instead of failing on the
``(workspaceId, day)`` unique key. ``args["day"]`` ("2026-03-01") recomputes a given day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert


def day_to_count(args: dict[str, Any] | None, context: Any) -> dt.datetime:
    """Midnight UTC of the day to count: ``args["day"]``, else the day before the tick."""
    if args and args.get("day"):
        day = dt.date.fromisoformat(str(args["day"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    moment = getattr(context.job, "scheduled_for", None) or dt.datetime.now(dt.UTC)
    midnight = moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - dt.timedelta(days=1)


async def calculate_daily_stats(args: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    e = context.entities
    session = context.session
    day = day_to_count(args, context)
    end = day + dt.timedelta(days=1)
    workspaces = (await session.scalars(select(e.Workspace.id))).all()
    for workspace_id in workspaces:
        alerts = await session.scalar(
            select(func.count())
            .select_from(e.Alert)
            .where(e.Alert.workspaceId == workspace_id)
            .where(e.Alert.createdAt >= day, e.Alert.createdAt < end)
        )
        incidents = await session.scalar(
            select(func.count())
            .select_from(e.Incident)
            .where(e.Incident.workspaceId == workspace_id)
            .where(e.Incident.createdAt >= day, e.Incident.createdAt < end)
        )
        open_cases = await session.scalar(
            select(func.count())
            .select_from(e.Case)
            .where(e.Case.workspaceId == workspace_id)
            .where(e.Case.status != "CLOSED")
        )
        values = {"alertCount": alerts, "incidentCount": incidents, "openCases": open_cases}
        statement = insert(e.DailyStats).values(workspaceId=workspace_id, day=day, **values)
        await session.execute(
            statement.on_conflict_do_update(index_elements=["workspaceId", "day"], set_=values)
        )
    return {"day": day.date().isoformat(), "workspaces": len(workspaces)}

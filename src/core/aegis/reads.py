"""Reading Aegis alerts and incidents (the pages' lists and details): every read goes
through ``member_of`` (VIEWER), so a non-member gets the same 404 as for a missing row,
and the workspace's allowlist, timeout and 2FA policy apply as to any workspace call."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sentinel_spec.runtime import HttpError
from src.core.aegis.views import alert_json, incident_json
from src.core.entities import model
from src.core.workspace.access import member_of, require_user

LIST_LIMIT = 100  # newest first; the pages say when there are more


async def list_alerts(
    context: Any, workspace_id: str, *, status: str | None = None, limit: int = LIST_LIMIT
) -> dict[str, Any]:
    """The newest alerts of a workspace, optionally of one status; ``more`` says whether
    older ones exist."""
    rows = await _newest(context, "Alert", workspace_id, status, limit)
    return {"items": [alert_json(a) for a in rows[:limit]], "more": len(rows) > limit}


async def list_incidents(
    context: Any, workspace_id: str, *, status: str | None = None, limit: int = LIST_LIMIT
) -> dict[str, Any]:
    """The newest incidents of a workspace, as ``list_alerts``."""
    rows = await _newest(context, "Incident", workspace_id, status, limit)
    return {"items": [incident_json(i) for i in rows[:limit]], "more": len(rows) > limit}


async def untriaged_alerts(context: Any, workspace_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest alerts of a workspace that no incident holds yet (the new-incident
    form offers them; the ``(workspaceId, incidentId)`` index finds them)."""
    await member_of(context, workspace_id, "VIEWER")
    table = model(context, "Alert")
    query = (
        select(table)
        .where(table.workspaceId == workspace_id, table.incidentId.is_(None))
        .order_by(table.createdAt.desc(), table.id.desc())
        .limit(limit)
    )
    return [alert_json(a) for a in (await context.session.execute(query)).scalars().all()]


async def _newest(
    context: Any, name: str, workspace_id: str, status: str | None, limit: int
) -> list[Any]:
    """Up to ``limit + 1`` rows of ``name``, newest first (both tables' ``(workspaceId,
    createdAt)`` index serves it), after the membership check."""
    await member_of(context, workspace_id, "VIEWER")
    table = model(context, name)
    query = select(table).where(table.workspaceId == workspace_id)
    if status is not None:
        query = query.where(table.status == status)
    query = query.order_by(table.createdAt.desc(), table.id.desc()).limit(limit + 1)
    return list((await context.session.execute(query)).scalars().all())


async def _row(context: Any, name: str, row_id: str) -> Any:
    """The row after the membership check of its own workspace: 404 alike for a missing
    row and one in a workspace the caller is not in."""
    require_user(context)
    row = await context.session.get(model(context, name), row_id)
    if row is None:
        raise HttpError(404, "Not found")
    await member_of(context, row.workspaceId, "VIEWER")
    return row


async def alert_detail(context: Any, alert_id: str) -> dict[str, Any]:
    """One alert, with the incident it belongs to (title and status) if any."""
    alert = await _row(context, "Alert", alert_id)
    view = alert_json(alert)
    view["payload"] = alert.payload
    view["incident"] = None
    if alert.incidentId is not None:
        incident = await context.session.get(model(context, "Incident"), alert.incidentId)
        view["incident"] = incident_json(incident) if incident is not None else None
    return view


async def incident_detail(context: Any, incident_id: str) -> dict[str, Any]:
    """One incident and its alerts, newest first (the ``(workspaceId, incidentId)``
    index)."""
    incident = await _row(context, "Incident", incident_id)
    alert = model(context, "Alert")
    alerts = (
        (
            await context.session.execute(
                select(alert)
                .where(alert.workspaceId == incident.workspaceId, alert.incidentId == incident.id)
                .order_by(alert.createdAt.desc(), alert.id.desc())
            )
        )
        .scalars()
        .all()
    )
    return {**incident_json(incident), "alerts": [alert_json(a) for a in alerts]}

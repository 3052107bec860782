"""Aegis pages: GET /aegis/alerts and /aegis/incidents (the current workspace's newest,
filtered by status), GET /aegis/alerts/:alertId and /aegis/incidents/:incidentId (the
pages the notifications link to). Reads only; ``src/core/aegis/reads.py`` checks
membership, so a stranger's id is the same 404 page as a missing one."""

from __future__ import annotations

from typing import Any, get_args

from src.client import services
from src.client.web import component, options, page, redirect
from src.core.aegis import reads
from src.core.aegis.operations import AlertStatus, IncidentStatus


def _status(request: Any, allowed: tuple[str, ...]) -> str | None:
    """``?status=`` when it is one of ``allowed``; anything else lists every status."""
    value = request.query_params.get("status", "")
    return value if value in allowed else None


async def _current(context: Any) -> dict[str, Any] | None:
    workspaces = await services.my_workspaces(context)
    current = await services.current_workspace(context, workspaces)
    return next((w for w in workspaces if w["id"] == current), None)


async def _list(request: Any, context: Any, kind: str, statuses: tuple[str, ...]) -> Any:
    workspace = await _current(context)
    if workspace is None:
        return redirect("/onboarding")
    status = _status(request, statuses)
    read = reads.list_alerts if kind == "alerts" else reads.list_incidents
    found = await read(context, workspace["id"], status=status)
    return await page(
        request,
        context,
        f"aegis_{kind}.html",
        {
            "workspace": workspace,
            "items": found["items"],
            "more": found["more"],
            "status": status,
            "status_options": options([(s, s.title()) for s in statuses], status),
        },
    )


@component
async def alerts_page(request: Any, context: Any) -> Any:
    return await _list(request, context, "alerts", get_args(AlertStatus))


@component
async def incidents_page(request: Any, context: Any) -> Any:
    return await _list(request, context, "incidents", get_args(IncidentStatus))


async def _workspace_of(context: Any, workspace_id: str) -> dict[str, Any] | None:
    """The row's workspace as the header shows it (the read checked membership)."""
    return next((w for w in await services.my_workspaces(context) if w["id"] == workspace_id), None)


@component
async def alert_page(request: Any, context: Any) -> Any:
    alert = await reads.alert_detail(context, request.path_params["alertId"])
    workspace = await _workspace_of(context, alert["workspaceId"])
    return await page(
        request, context, "aegis_alert.html", {"alert": alert, "workspace": workspace}
    )


@component
async def incident_page(request: Any, context: Any) -> Any:
    incident = await reads.incident_detail(context, request.path_params["incidentId"])
    workspace = await _workspace_of(context, incident["workspaceId"])
    return await page(
        request, context, "aegis_incident.html", {"incident": incident, "workspace": workspace}
    )

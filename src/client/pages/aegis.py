"""Aegis pages: GET /aegis/alerts and /aegis/incidents (the current workspace's newest,
filtered by status), GET /aegis/alerts/:alertId and /aegis/incidents/:incidentId (the
pages the notifications link to), and their forms (POST /forms/aegis/...): a new alert,
an alert's status, an incident opened from an alert, a new incident, an incident's
title, severity, status and SLA deadline.

``src/core/aegis/reads.py`` checks membership for the pages, so a stranger's id is the
same 404 page as a missing one. The forms are drawn for MEMBER and up (what the
operations require) and call the operations' own functions with the operations' own
argument models, which check membership and role again from the session: a viewer's
hand-made post is a 403, another workspace's id a 404. A refused form is the page again
with the message and what was typed (400 / 403 / 409), nothing saved (``undo``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import (
    component,
    error_text,
    form_fields,
    form_lists,
    options,
    page,
    redirect,
    undo,
)
from src.core.aegis import operations as ops
from src.core.aegis import reads
from src.core.aegis.operations import AlertStatus, IncidentStatus, Severity

ALERT_STATUSES: tuple[str, ...] = get_args(AlertStatus)
INCIDENT_STATUSES: tuple[str, ...] = get_args(IncidentStatus)
STATUSES = {"alerts": ALERT_STATUSES, "incidents": INCIDENT_STATUSES}  # a list page's filter
SEVERITIES: tuple[str, ...] = get_args(Severity)
CHANGER = "MEMBER"  # the role the Aegis operations ask for (member_of(..., "MEMBER"))
UNTRIAGED_SHOWN = 25  # alerts offered to attach on the new-incident form
NEW_ALERT_FIELDS = ("title", "source", "severity", "description", "tags")
NEW_INCIDENT_FIELDS = ("title", "severity", "slaDeadline")
INCIDENT_FIELDS = ("title", "severity", "status", "slaDeadline")
UTC = datetime.UTC


def _status(request: Any, allowed: tuple[str, ...]) -> str | None:
    """``?status=`` when it is one of ``allowed``; anything else lists every status."""
    value = request.query_params.get("status", "")
    return value if value in allowed else None


def _choices(values: tuple[str, ...], selected: str | None) -> Any:
    return options([(v, v.title()) for v in values], selected)


def _may_change(workspace: Mapping[str, Any] | None) -> bool:
    """Whether to draw the forms (the operations check the role again on a post)."""
    return workspace is not None and services.at_least(workspace["role"], CHANGER)


async def _current(context: Any) -> dict[str, Any] | None:
    workspaces = await services.my_workspaces(context)
    current = await services.current_workspace(context, workspaces)
    return next((w for w in workspaces if w["id"] == current), None)


async def _list(
    request: Any,
    context: Any,
    kind: str,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Any:
    workspace = await _current(context)
    if workspace is None:
        return redirect("/onboarding")
    statuses = STATUSES[kind]
    status = _status(request, statuses)
    read = reads.list_alerts if kind == "alerts" else reads.list_incidents
    found = await read(context, workspace["id"], status=status)
    may_change = _may_change(workspace)
    form = form or {}
    untriaged: list[dict[str, Any]] = []
    if kind == "incidents" and may_change:
        untriaged = await reads.untriaged_alerts(context, workspace["id"], UNTRIAGED_SHOWN)
    return await page(
        request,
        context,
        f"aegis_{kind}.html",
        {
            "workspace": workspace,
            "items": found["items"],
            "more": found["more"],
            "status": status,
            "status_options": _choices(statuses, status),
            "may_change": may_change,
            "form": form,
            "form_error": error,
            "severity_options": _choices(SEVERITIES, form.get("severity") or "MEDIUM"),
            "untriaged": untriaged,
            "checked": set(form.get("alertIds", ())),
        },
        status=status_code,
    )


async def _list_refused(
    request: Any, context: Any, kind: str, failed: Exception, form: dict[str, Any], status: int
) -> Any:
    """A list page's form refused: what it wrote undone, the page again with the message
    and the input kept."""
    await undo(context)
    return await _list(
        request, context, kind, error=error_text(failed), form=form, status_code=status
    )


@component
async def alerts_page(request: Any, context: Any) -> Any:
    return await _list(request, context, "alerts")


@component
async def incidents_page(request: Any, context: Any) -> Any:
    return await _list(request, context, "incidents")


async def _workspace_of(context: Any, workspace_id: str) -> dict[str, Any] | None:
    """The row's workspace as the header shows it (the read checked membership)."""
    return next((w for w in await services.my_workspaces(context) if w["id"] == workspace_id), None)


async def _alert_view(
    request: Any,
    context: Any,
    alert_id: str,
    *,
    error: str | None = None,
    section: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Any:
    alert = await reads.alert_detail(context, alert_id)
    workspace = await _workspace_of(context, alert["workspaceId"])
    form = form or {}
    status = form.get("status") if section == "status" else alert["status"]
    severity = form.get("severity") if section == "incident" else alert["severity"]
    return await page(
        request,
        context,
        "aegis_alert.html",
        {
            "alert": alert,
            "workspace": workspace,
            "may_change": _may_change(workspace),
            "alert_status_options": _choices(ALERT_STATUSES, status),
            "severity_options": _choices(SEVERITIES, severity),
            "incident_title": form["title"] if section == "incident" else alert["title"],
            "form_error": error,
            "form_section": section,
        },
        status=status_code,
    )


@component
async def alert_page(request: Any, context: Any) -> Any:
    return await _alert_view(request, context, request.path_params["alertId"])


def _deadline_field(iso: str | None) -> str:
    """An ISO 8601 instant as a ``datetime-local`` value in UTC (``2026-12-31T18:00``)."""
    if not iso:
        return ""
    return datetime.datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


async def _incident_view(
    request: Any,
    context: Any,
    incident_id: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Any:
    incident = await reads.incident_detail(context, incident_id)
    workspace = await _workspace_of(context, incident["workspaceId"])
    shown = _deadline_field(incident["slaDeadline"])
    values = {
        "title": incident["title"],
        "severity": incident["severity"],
        "status": incident["status"],
        "slaDeadline": shown,
        **(form or {}),
    }
    return await page(
        request,
        context,
        "aegis_incident.html",
        {
            "incident": incident,
            "workspace": workspace,
            "may_change": _may_change(workspace),
            "form": values,
            "deadline_shown": shown,
            "severity_options": _choices(SEVERITIES, values["severity"]),
            "incident_status_options": _choices(INCIDENT_STATUSES, values["status"]),
            "form_error": error,
        },
        status=status_code,
    )


@component
async def incident_page(request: Any, context: Any) -> Any:
    return await _incident_view(request, context, request.path_params["incidentId"])


# ------------------------------------------------------------------ forms


def _refusal(failed: Exception) -> int:
    """The status of a refused form drawn again; a 401, 404 or 429 is raised instead
    (the error page: signed out, not visible to this user, too many posts)."""
    if isinstance(failed, HttpError):
        if failed.status in (401, 404, 429):
            raise failed
        return failed.status
    return 400


def _tags(value: str) -> list[str]:
    """``"phishing, mail,,phishing"`` as ``["phishing", "mail"]``."""
    return list(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))


def _deadline(value: str) -> datetime.datetime | None:
    """A ``datetime-local`` value (UTC, as the page says) or an ISO 8601 instant with an
    offset; blank is no deadline."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise HttpError(
            400,
            "SLA deadline: a date and time such as 2026-12-31T18:00 (UTC)",
            code="validation_error",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


async def _posted_workspace(context: Any, fields: dict[str, str]) -> str:
    """The current workspace, which the list page's form was drawn for. The form names
    it so that a switch in another tab cannot send the post elsewhere (409, the page is
    drawn again for the workspace now current); the id names, the operation checks."""
    workspace = await _current(context)
    if workspace is None:
        raise HttpError(409, "Create a workspace first", code="conflict")
    if fields.get("workspaceId", "") != workspace["id"]:
        raise HttpError(
            409,
            "You switched to another workspace since this page was drawn: "
            "check the form and submit it again",
            code="conflict",
        )
    return str(workspace["id"])


@component
async def alerts_form(request: Any, context: Any) -> Any:
    """POST /forms/aegis/alerts: a new alert in the current workspace (createAlert)."""
    fields = await form_fields(request)
    try:
        workspace_id = await _posted_workspace(context, fields)
        args = ops.CreateAlertArgs.model_validate(
            {
                "workspaceId": workspace_id,
                "title": fields.get("title", "").strip(),
                "source": fields.get("source", "").strip(),
                "severity": fields.get("severity") or "MEDIUM",
                "description": fields.get("description", "").strip() or None,
                "tags": _tags(fields.get("tags", "")),
            }
        )
        created = await ops.create_alert(args, context)
    except (HttpError, ValidationError) as failed:
        form = {k: fields.get(k, "") for k in NEW_ALERT_FIELDS}
        return await _list_refused(request, context, "alerts", failed, form, _refusal(failed))
    return redirect(f"/aegis/alerts/{created['id']}", done="alert")


@component
async def alert_form(request: Any, context: Any) -> Any:
    """POST /forms/aegis/alerts/:alertId, ``action=status`` (updateAlertStatus) or
    ``action=incident`` (createIncident with this alert, in the alert's workspace)."""
    alert_id = request.path_params["alertId"]
    fields = await form_fields(request)
    action = fields.get("action", "")
    try:
        if action == "status":
            status_args = ops.UpdateAlertStatusArgs.model_validate(
                {"id": alert_id, "status": fields.get("status", "")}
            )
            await ops.update_alert_status(status_args, context)
            answer = redirect(f"/aegis/alerts/{alert_id}", done="status")
        elif action == "incident":
            # The workspace is the alert's, read after the membership check (a stranger's
            # alert is a 404 here); createIncident checks the role in it.
            alert = await reads.alert_detail(context, alert_id)
            incident_args = ops.CreateIncidentArgs.model_validate(
                {
                    "workspaceId": alert["workspaceId"],
                    "title": fields.get("title", "").strip(),
                    "severity": fields.get("severity") or alert["severity"],
                    "alertIds": [alert_id],
                }
            )
            created = await ops.create_incident(incident_args, context)
            answer = redirect(f"/aegis/incidents/{created['id']}", done="incident")
        else:
            raise HttpError(400, "Unknown action")
    except (HttpError, ValidationError) as failed:
        status = _refusal(failed)
        await undo(context)
        return await _alert_view(
            request,
            context,
            alert_id,
            error=error_text(failed),
            section=action if action in ("status", "incident") else None,
            form={k: fields.get(k, "") for k in ("status", "title", "severity")},
            status_code=status,
        )
    return answer


@component
async def incidents_form(request: Any, context: Any) -> Any:
    """POST /forms/aegis/incidents: a new incident in the current workspace, with the
    alerts ticked (createIncident; another workspace's alert is "not found")."""
    fields = await form_fields(request)
    alert_ids = list(dict.fromkeys((await form_lists(request)).get("alertIds", [])))
    try:
        workspace_id = await _posted_workspace(context, fields)
        args = ops.CreateIncidentArgs.model_validate(
            {
                "workspaceId": workspace_id,
                "title": fields.get("title", "").strip(),
                "severity": fields.get("severity") or "MEDIUM",
                "alertIds": alert_ids,
                "slaDeadline": _deadline(fields.get("slaDeadline", "")),
            }
        )
        created = await ops.create_incident(args, context)
    except (HttpError, ValidationError) as failed:
        # A ticked alert gone (or forged) is said on the form; it names no workspace.
        gone = isinstance(failed, HttpError) and failed.data == {"field": "alertIds"}
        status = failed.status if gone and isinstance(failed, HttpError) else _refusal(failed)
        form: dict[str, Any] = {k: fields.get(k, "") for k in NEW_INCIDENT_FIELDS}
        form["alertIds"] = alert_ids
        return await _list_refused(request, context, "incidents", failed, form, status)
    return redirect(f"/aegis/incidents/{created['id']}", done="incident")


@component
async def incident_form(request: Any, context: Any) -> Any:
    """POST /forms/aegis/incidents/:incidentId: title, severity, status and SLA deadline
    (updateIncident). The deadline is sent only when it differs from the one the page
    showed (``slaDeadlineShown``, minutes in UTC), so saving a status change does not
    round a deadline set to the second through the API; blank clears it."""
    incident_id = request.path_params["incidentId"]
    fields = await form_fields(request)
    try:
        changes: dict[str, Any] = {}
        if "title" in fields:
            changes["title"] = fields["title"].strip()
        for name in ("severity", "status"):
            if fields.get(name):
                changes[name] = fields[name]
        posted = fields.get("slaDeadline", "").strip()
        if "slaDeadline" in fields and posted != fields.get("slaDeadlineShown", "").strip():
            changes["slaDeadline"] = _deadline(posted)
        args = ops.UpdateIncidentArgs.model_validate({"id": incident_id, **changes})
        await ops.update_incident(args, context)
    except (HttpError, ValidationError) as failed:
        status = _refusal(failed)
        await undo(context)
        return await _incident_view(
            request,
            context,
            incident_id,
            error=error_text(failed),
            form={k: fields[k] for k in INCIDENT_FIELDS if k in fields},
            status_code=status,
        )
    return redirect(f"/aegis/incidents/{incident_id}", done="saved")

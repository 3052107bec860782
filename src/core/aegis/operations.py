"""Aegis alerts and incidents, as far as the live notifications need them: create an
alert, change its status, open an incident, change it. Every call checks membership
(MEMBER to change, the runtime's 404 for outsiders), writes an audit row and notifies
the workspace's members through the notification bus (in real time, after the commit).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from sentinel_spec.runtime import HttpError
from src.core.aegis.views import alert_json, incident_json, value_of
from src.core.audit.record import audit
from src.core.notifications.bus import emit
from src.core.workspace.access import member_of

Severity = Literal["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
AlertStatus = Literal["NEW", "ACKNOWLEDGED", "INVESTIGATING", "RESOLVED", "DISMISSED"]
IncidentStatus = Literal["OPEN", "INVESTIGATING", "CONTAINED", "RESOLVED", "CLOSED"]
# Aegis severities onto notification types (what colours a message, bypasses quiet hours).
NOTIFY_AS = {
    "INFO": "INFO",
    "LOW": "INFO",
    "MEDIUM": "WARNING",
    "HIGH": "ERROR",
    "CRITICAL": "CRITICAL",
}


class CreateAlertArgs(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    source: str = Field(min_length=1, max_length=100)
    severity: Severity = "MEDIUM"
    # each tag as long as a source at most (a tag's length had no bound before)
    tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50
    )


class UpdateAlertStatusArgs(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    status: AlertStatus


class CreateIncidentArgs(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    severity: Severity = "MEDIUM"
    alertIds: list[str] = Field(default_factory=list, max_length=100)
    slaDeadline: datetime.datetime | None = None


class UpdateIncidentArgs(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    severity: Severity | None = None
    status: IncidentStatus | None = None
    slaDeadline: datetime.datetime | None = None


def _text(value: Any) -> str | None:
    """A field's value as compared and shown (enums by name, dates in ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value_of(value)


async def _in_workspace(context: Any, entity: Any, row_id: str, minimum: str) -> Any:
    """The row, after checking the caller's role in its workspace; 404 for a missing
    row and for one in a workspace the caller is not a member of alike."""
    if context.user is None:
        raise HttpError(401)
    row = await context.session.get(entity, row_id)
    if row is None:
        raise HttpError(404, "Not found")
    await member_of(context, row.workspaceId, minimum)
    return row


async def create_alert(args: CreateAlertArgs, context: Any) -> dict[str, Any]:
    await member_of(context, args.workspaceId, "MEMBER")
    alert = context.entities.Alert(
        workspaceId=args.workspaceId,
        title=args.title,
        description=args.description,
        source=args.source,
        severity=args.severity,
        tags=args.tags,
    )
    context.session.add(alert)
    await context.session.flush()
    await context.session.refresh(alert)
    await audit(
        context,
        workspace_id=args.workspaceId,
        action="ALERT_CREATED",
        resource="alert",
        resource_id=alert.id,
        description=args.title,
        metadata={"severity": args.severity, "source": args.source},
    )
    await emit(
        context,
        "alert_created",
        workspace_id=args.workspaceId,
        title=f"New {args.severity.lower()} alert: {args.title}",
        message=args.description or f"From {args.source}",
        severity=NOTIFY_AS[args.severity],
        data={"alertId": alert.id, "severity": args.severity, "source": args.source},
        link=f"/aegis/alerts/{alert.id}",
    )
    return alert_json(alert)


async def update_alert_status(args: UpdateAlertStatusArgs, context: Any) -> dict[str, Any]:
    alert = await _in_workspace(context, context.entities.Alert, args.id, "MEMBER")
    before = value_of(alert.status)
    if before == args.status:
        return alert_json(alert)
    alert.status = args.status
    await context.session.flush()
    await audit(
        context,
        workspace_id=alert.workspaceId,
        action="ALERT_UPDATED",
        resource="alert",
        resource_id=alert.id,
        description=f"status {before} -> {args.status}",
        metadata={"from": before, "to": args.status},
    )
    await emit(
        context,
        "alert_status_changed",
        workspace_id=alert.workspaceId,
        title=f"Alert {args.status.lower()}: {alert.title}",
        message=f"{context.user.email} changed the status from {before} to {args.status}.",
        severity="INFO",
        data={"alertId": alert.id, "from": before, "to": args.status},
        link=f"/aegis/alerts/{alert.id}",
    )
    return alert_json(alert)


async def create_incident(args: CreateIncidentArgs, context: Any) -> dict[str, Any]:
    await member_of(context, args.workspaceId, "MEMBER")
    entities = context.entities
    alerts: list[Any] = []
    if args.alertIds:
        alerts = list(
            (
                await context.session.scalars(
                    select(entities.Alert).where(
                        entities.Alert.id.in_(args.alertIds),
                        entities.Alert.workspaceId == args.workspaceId,
                    )
                )
            ).all()
        )
        if len(alerts) != len(set(args.alertIds)):  # another workspace's ids look missing
            raise HttpError(404, "Alert not found", {"field": "alertIds"})
    incident = entities.Incident(
        workspaceId=args.workspaceId,
        title=args.title,
        severity=args.severity,
        slaDeadline=args.slaDeadline,
    )
    context.session.add(incident)
    await context.session.flush()
    for alert in alerts:
        alert.incidentId = incident.id
    await context.session.flush()
    await context.session.refresh(incident)
    await audit(
        context,
        workspace_id=args.workspaceId,
        action="INCIDENT_CREATED",
        resource="incident",
        resource_id=incident.id,
        description=args.title,
        metadata={"severity": args.severity, "alertIds": sorted(set(args.alertIds))},
    )
    await emit(
        context,
        "incident_created",
        workspace_id=args.workspaceId,
        title=f"Incident opened ({args.severity.lower()}): {args.title}",
        message=f"{context.user.email} opened an incident"
        + (f" from {len(alerts)} alert(s)." if alerts else "."),
        severity=NOTIFY_AS[args.severity],
        data={"incidentId": incident.id, "severity": args.severity},
        link=f"/aegis/incidents/{incident.id}",
    )
    return incident_json(incident)


async def update_incident(args: UpdateIncidentArgs, context: Any) -> dict[str, Any]:
    incident = await _in_workspace(context, context.entities.Incident, args.id, "MEMBER")
    changes = args.model_dump(exclude_unset=True, exclude={"id"})
    # null leaves title, severity and status as they are; it clears the SLA deadline.
    changes = {n: v for n, v in changes.items() if v is not None or n == "slaDeadline"}
    before = {name: _text(getattr(incident, name)) for name in changes}
    changed = {n: v for n, v in changes.items() if before[n] != _text(v)}
    if not changed:
        return incident_json(incident)
    for name, value in changed.items():
        setattr(incident, name, value)
    await context.session.flush()
    await context.session.refresh(incident)
    status = changed.get("status")
    action = "INCIDENT_RESOLVED" if status in ("RESOLVED", "CLOSED") else "INCIDENT_UPDATED"
    summary = ", ".join(f"{name} {before[name]} -> {_text(v)}" for name, v in changed.items())
    await audit(
        context,
        workspace_id=incident.workspaceId,
        action=action,
        resource="incident",
        resource_id=incident.id,
        description=summary,
        metadata={"changed": sorted(changed)},
    )
    severity = value_of(incident.severity)
    resolved = action == "INCIDENT_RESOLVED"
    await emit(
        context,
        "incident_resolved" if action == "INCIDENT_RESOLVED" else "incident_updated",
        workspace_id=incident.workspaceId,
        title=f"Incident {'resolved' if resolved else 'updated'}: {incident.title}",
        message=f"{context.user.email}: {summary}.",
        severity="SUCCESS" if action == "INCIDENT_RESOLVED" else NOTIFY_AS[severity],
        data={"incidentId": incident.id, "changed": sorted(changed)},
        link=f"/aegis/incidents/{incident.id}",
    )
    return incident_json(incident)

"""Alerts and incidents as the operations answer them and the pages read them."""

from __future__ import annotations

from typing import Any


def value_of(value: Any) -> str:
    return str(getattr(value, "value", value))


def alert_json(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.id,
        "workspaceId": alert.workspaceId,
        "title": alert.title,
        "description": alert.description,
        "source": alert.source,
        "severity": value_of(alert.severity),
        "status": value_of(alert.status),
        "tags": list(alert.tags or []),
        "incidentId": alert.incidentId,
        "createdAt": alert.createdAt.isoformat() if alert.createdAt else None,
    }


def incident_json(incident: Any) -> dict[str, Any]:
    return {
        "id": incident.id,
        "workspaceId": incident.workspaceId,
        "title": incident.title,
        "severity": value_of(incident.severity),
        "status": value_of(incident.status),
        "slaDeadline": incident.slaDeadline.isoformat() if incident.slaDeadline else None,
        "createdAt": incident.createdAt.isoformat() if incident.createdAt else None,
        "updatedAt": incident.updatedAt.isoformat() if incident.updatedAt else None,
    }

"""What clients see of the notification rows: plain JSON, never a provider's secrets."""

from __future__ import annotations

import datetime
from typing import Any


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.isoformat()


def _enum(value: Any) -> Any:
    return getattr(value, "value", value)


def notification_json(row: Any) -> dict[str, Any]:
    created = row.createdAt or datetime.datetime.now(datetime.UTC)
    return {
        "id": row.id,
        "workspaceId": row.workspaceId,
        "type": _enum(row.type),
        "eventType": row.eventType,
        "title": row.title,
        "message": row.message,
        "link": row.link,
        "metadata": row.metadata_,
        "isRead": bool(row.isRead),
        "readAt": _iso(row.readAt),
        "createdAt": _iso(created),
    }


def provider_json(row: Any) -> dict[str, Any]:
    """A provider as admins see it: ``publicConfig`` only (masked URLs, chat ids)."""
    return {
        "id": row.id,
        "workspaceId": row.workspaceId,
        "provider": _enum(row.provider),
        "isEnabled": bool(row.isEnabled),
        "config": row.publicConfig,
        "eventTypes": list(row.eventTypes or []),
        "createdAt": _iso(row.createdAt),
        "updatedAt": _iso(row.updatedAt),
    }


PREFERENCE_FIELDS = (
    "inAppEnabled",
    "emailEnabled",
    "pushEnabled",
    "disabledEventTypes",
    "digestFrequency",
    "digestTime",
    "lastDigestSentAt",
    "dndEnabled",
    "dndStartTime",
    "dndEndTime",
)


def preference_json(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"userId": row.userId}
    for name in PREFERENCE_FIELDS:
        value = getattr(row, name)
        if isinstance(value, datetime.datetime):
            value = _iso(value)
        out[name] = _enum(value)
    out["disabledEventTypes"] = list(row.disabledEventTypes or [])
    return out


def push_subscription_json(row: Any) -> dict[str, Any]:
    """The device list: no keys (they encrypt messages for that device)."""
    return {
        "id": row.id,
        "endpoint": row.endpoint,
        "userAgent": row.userAgent,
        "deviceName": row.deviceName,
        "lastUsedAt": _iso(row.lastUsedAt),
        "createdAt": _iso(row.createdAt),
    }


def delivery_log_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "notificationId": row.notificationId,
        "providerId": row.providerId,
        "userId": row.userId,
        "channel": _enum(row.channel),
        "eventType": row.eventType,
        "status": _enum(row.status),
        "attempts": row.attempts,
        "maxAttempts": row.maxAttempts,
        "lastError": row.lastError,
        "responseStatus": row.responseStatus,
        "lastAttemptAt": _iso(row.lastAttemptAt),
        "nextRetryAt": _iso(row.nextRetryAt),
        "deliveredAt": _iso(row.deliveredAt),
        "createdAt": _iso(row.createdAt),
    }

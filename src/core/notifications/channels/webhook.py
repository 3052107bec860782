"""Signed outgoing webhooks.

The body is JSON ``{"id", "type", "createdAt", "workspaceId", "data": {...}}``. Headers:

- ``X-SentinelIQ-Timestamp``: Unix seconds when it was signed;
- ``X-SentinelIQ-Signature``: ``v1=`` + hex HMAC-SHA256, keyed with the provider's
  signing secret, over ``<timestamp>.<raw body>``;
- ``X-SentinelIQ-Event`` (the event type), ``X-SentinelIQ-Delivery`` (the delivery id,
  the same on every retry of one delivery: receivers deduplicate on it).

Receivers recompute the HMAC over the raw bytes, compare in constant time and refuse a
timestamp older than five minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from src.core.notifications.channels.base import Event, post_json

SIGNATURE_HEADER = "X-SentinelIQ-Signature"
TIMESTAMP_HEADER = "X-SentinelIQ-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def payload(event: Event, delivery_id: str) -> dict[str, Any]:
    return {
        "id": delivery_id,
        "type": event.event_type,
        "createdAt": event.created_at,
        "workspaceId": event.workspace_id,
        "data": {
            "title": event.title,
            "message": event.message,
            "severity": event.severity,
            "link": event.link,
            "details": event.data,
        },
    }


async def send(
    client: httpx.AsyncClient,
    event: Event,
    public: dict[str, Any],
    secret: dict[str, Any],
    delivery_id: str,
) -> int:
    body = json.dumps(payload(event, delivery_id), separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret["signingSecret"], timestamp, body),
        "X-SentinelIQ-Event": event.event_type,
        "X-SentinelIQ-Delivery": delivery_id,
        "User-Agent": "SentinelIQ-Webhooks/1",
    }
    return await post_json(client, secret["url"], body, headers)

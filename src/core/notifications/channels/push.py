"""Web Push (RFC 8030) with VAPID (RFC 8292): the body encrypted with aes128gcm
(RFC 8291) by pywebpush for the subscription's keys, signed with the server's VAPID
key, sent with httpx. 404/410 mean the browser dropped the subscription."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from py_vapid import Vapid02
from pywebpush import WebPusher

from src.core.notifications.channels.base import (
    TIMEOUT,
    DeliveryError,
    Event,
    absolute_link,
)

TTL_SECONDS = 24 * 3600
GONE = (404, 410)


class SubscriptionGone(DeliveryError):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}: subscription expired", status=status, permanent=True)


def payload(event: Event, app_url: str) -> dict[str, Any]:
    return {
        "title": event.title,
        "body": event.message[:1000],
        "severity": event.severity,
        "eventType": event.event_type,
        "url": absolute_link(event, app_url),
    }


def vapid_headers(endpoint: str, private_key: str, subject: str) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
        "sub": subject,
    }
    signed: dict[str, str] = Vapid02.from_string(private_key).sign(claims)
    return signed


async def send(
    client: httpx.AsyncClient,
    event: Event,
    subscription: Any,
    *,
    app_url: str,
    vapid_private_key: str,
    vapid_subject: str,
) -> int:
    if not vapid_private_key:
        raise DeliveryError("VAPID_PRIVATE_KEY is not set", permanent=True)
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    data = json.dumps(payload(event, app_url)).encode()
    try:
        encoded = WebPusher(info).encode(data, content_encoding="aes128gcm")
    except Exception as error:  # bad keys stored for this device: it can never work
        raise DeliveryError(
            f"cannot encrypt for this subscription: {error}", permanent=True
        ) from error
    headers = {
        **vapid_headers(subscription.endpoint, vapid_private_key, vapid_subject),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "high" if event.severity in ("ERROR", "CRITICAL") else "normal",
    }
    try:
        response = await client.post(
            subscription.endpoint, content=encoded["body"], headers=headers, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from error
    if response.status_code in GONE:
        raise SubscriptionGone(response.status_code)
    if response.status_code not in (200, 201, 202):
        permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        raise DeliveryError(
            f"HTTP {response.status_code}: {response.text[:300]}",
            status=response.status_code,
            permanent=permanent,
        )
    return response.status_code

"""Discord webhooks: one embed (title, description, colour, fields, timestamp)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from src.core.notifications.channels.base import SEVERITY_COLOURS, Event, absolute_link, post_json


def payload(event: Event, app_url: str, username: str | None = None) -> dict[str, Any]:
    embed: dict[str, Any] = {
        "title": event.title[:256],
        "description": event.message[:4096],
        "color": int(SEVERITY_COLOURS.get(event.severity, "3B82F6"), 16),
        "fields": [
            {"name": name[:256], "value": value[:1024] or "-", "inline": True}
            for name, value in event.facts()[:25]
        ],
        "footer": {"text": "SentinelIQ"},
    }
    link = absolute_link(event, app_url)
    if link:
        embed["url"] = link
    if event.created_at:
        embed["timestamp"] = event.created_at
    body: dict[str, Any] = {"embeds": [embed], "allowed_mentions": {"parse": []}}
    body["username"] = (username or "SentinelIQ")[:80]
    return body


async def send(
    client: httpx.AsyncClient,
    event: Event,
    public: dict[str, Any],
    secret: dict[str, Any],
    app_url: str,
) -> int:
    body = json.dumps(payload(event, app_url, public.get("username"))).encode()
    # ?wait=true: Discord answers 200 with the message (else 204), errors either way.
    url = secret["webhookUrl"]
    return await post_json(client, url + ("&" if "?" in url else "?") + "wait=true", body)

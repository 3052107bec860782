"""Microsoft Teams incoming webhooks: a legacy ``MessageCard`` (what connector
webhooks and Workflows' "post to a channel when a webhook request is received" accept)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from src.core.notifications.channels.base import SEVERITY_COLOURS, Event, absolute_link, post_json


def payload(event: Event, app_url: str) -> dict[str, Any]:
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": event.title[:150],
        "themeColor": SEVERITY_COLOURS.get(event.severity, "3B82F6"),
        "title": event.title,
        "text": event.message,
        "sections": [{"facts": [{"name": name, "value": value} for name, value in event.facts()]}],
    }
    link = absolute_link(event, app_url)
    if link:
        card["potentialAction"] = [
            {
                "@type": "OpenUri",
                "name": "Open in SentinelIQ",
                "targets": [{"os": "default", "uri": link}],
            }
        ]
    return card


async def send(
    client: httpx.AsyncClient,
    event: Event,
    public: dict[str, Any],
    secret: dict[str, Any],
    app_url: str,
) -> int:
    return await post_json(
        client, secret["webhookUrl"], json.dumps(payload(event, app_url)).encode()
    )

"""Slack incoming webhooks: a ``text`` fallback plus Block Kit ``blocks``."""

from __future__ import annotations

import json
from typing import Any

import httpx

from src.core.notifications.channels.base import Event, absolute_link, post_json


def payload(event: Event, app_url: str, channel: str | None = None) -> dict[str, Any]:
    link = absolute_link(event, app_url)
    fields = [{"type": "mrkdwn", "text": f"*{name}*\n{value}"} for name, value in event.facts()]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": event.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": event.message[:2900]}},
        {"type": "section", "fields": fields[:10]},
    ]
    if link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in SentinelIQ"},
                        "url": link,
                    }
                ],
            }
        )
    body: dict[str, Any] = {"text": f"[{event.severity}] {event.title}", "blocks": blocks}
    if channel:
        body["channel"] = channel
    return body


async def send(
    client: httpx.AsyncClient,
    event: Event,
    public: dict[str, Any],
    secret: dict[str, Any],
    app_url: str,
) -> int:
    body = json.dumps(payload(event, app_url, public.get("channel"))).encode()
    return await post_json(client, secret["webhookUrl"], body)

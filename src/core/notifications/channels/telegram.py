"""Telegram Bot API ``sendMessage`` (HTML parse mode, every value escaped)."""

from __future__ import annotations

import html
import json
from typing import Any

import httpx

from src.core.notifications.channels.base import DeliveryError, Event, absolute_link, post_json


def payload(event: Event, app_url: str, chat_id: str) -> dict[str, Any]:
    lines = [f"<b>[{html.escape(event.severity)}] {html.escape(event.title)}</b>", ""]
    lines.append(html.escape(event.message))
    link = absolute_link(event, app_url)
    if link:
        lines += ["", f'<a href="{html.escape(link, quote=True)}">Open in SentinelIQ</a>']
    return {
        "chat_id": chat_id,
        "text": "\n".join(lines)[:4096],
        "parse_mode": "HTML",
        "disable_web_page_preview": True,
    }


async def send(
    client: httpx.AsyncClient,
    event: Event,
    public: dict[str, Any],
    secret: dict[str, Any],
    app_url: str,
    api_url: str = "https://api.telegram.org",
) -> int:
    url = f"{api_url}/bot{secret['botToken']}/sendMessage"
    body = json.dumps(payload(event, app_url, str(public["chatId"]))).encode()
    try:
        return await post_json(client, url, body)
    except DeliveryError as error:
        # The token is in the URL: never let it reach a log or a delivery row.
        raise DeliveryError(
            str(error).replace(secret["botToken"], "<token>"),
            status=error.status,
            permanent=error.permanent,
        ) from None

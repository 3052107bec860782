"""GET /api/email-preview: the app's email templates as the mailer renders them (layout,
subject and escaping included), with sample data, for designers. Sends nothing.

- no ``template``: an index of every template (``emails/*.html`` but the layout) with its
  rendered subject and links to each;
- ``?template=NAME[&format=text]``: that template, HTML or text.

Refused (404, as if absent) in production (``SENTINEL_ENV=production``, what
``sentinel start`` sets): sample data is harmless, but the route is a designer's tool.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse, PlainTextResponse, Response

from sentinel_spec.runtime import HttpError

TEMPLATES = Path(__file__).resolve().parents[2] / "client" / "templates" / "emails"
LINK = "https://app.sentineliq.dev/example?token=sample-token"

# Sample data per template; a template without an entry renders with the common sample.
COMMON: dict[str, Any] = {"name": "Ada", "workspace": "Acme Security", "link": LINK}
PREVIEWS: dict[str, dict[str, Any]] = {
    "welcome": {"name": "Ada", "workspace": "Acme Security"},
    "incident": {"title": "Phishing campaign", "severity": "HIGH", "incident_id": "demo"},
    "invitation": {
        "workspace": "Acme Security",
        "inviter": "Grace Hopper",
        "role": "member",
        "link": LINK,
        "expires": "2026-12-08 12:00 UTC",
    },
    "ownership_transfer": {
        "workspace": "Acme Security",
        "owner": "Grace Hopper",
        "link": LINK,
        "expires": "2026-12-02 12:00 UTC",
    },
    "notification": {
        "title": "New high alert: Beaconing host",
        "message": "EDR saw 40 connections to a known C2 address from ws-042.",
        "severity": "ERROR",
        "event_type": "alert_created",
        "link": LINK,
        "preferences_url": "https://app.sentineliq.dev/notifications/preferences",
    },
    "notification_digest": {
        "count": 2,
        "items": [
            {
                "type": "ERROR",
                "title": "New high alert: Beaconing host",
                "message": "From edr",
                "createdAt": "2026-12-01 09:12 UTC",
            },
            {
                "type": "SUCCESS",
                "title": "Incident resolved: Intrusion",
                "message": "status INVESTIGATING -> RESOLVED",
                "createdAt": "2026-12-01 10:40 UTC",
            },
        ],
        "more": 0,
        "since": "2026-12-01 09:00 UTC",
        "frequency": "hourly",
        "notifications_url": "https://app.sentineliq.dev/notifications",
        "preferences_url": "https://app.sentineliq.dev/notifications/preferences",
    },
}


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATES.glob("*.html") if p.stem != "layout")


def _refuse_in_production(request: Any) -> None:
    settings = request.app.state.sentinel.settings
    if (settings.get("SENTINEL_ENV") or "").strip().lower() == "production":
        raise HttpError(404, "Not Found")


async def email_preview(request: Any, context: Any) -> Response:
    _refuse_in_production(request)
    names = template_names()
    template = request.query_params.get("template")
    if template is None:
        return HTMLResponse(_index(context, names))
    if template not in names:
        raise HttpError(404, f"no email template {template!r}", {"templates": names})
    rendered = context.email.render(template, PREVIEWS.get(template, COMMON))
    headers = {"X-Email-Subject": rendered.subject or ""}
    if request.query_params.get("format") == "text":
        return PlainTextResponse(rendered.text or "", headers=headers)
    return HTMLResponse(rendered.html or "", headers=headers)


def _index(context: Any, names: list[str]) -> str:
    rows = []
    for name in names:
        subject = context.email.render(name, PREVIEWS.get(name, COMMON)).subject or ""
        rows.append(
            f'<li><a href="?template={escape(name)}">{escape(name)}</a> '
            f'(<a href="?template={escape(name)}&amp;format=text">text</a>): '
            f"{escape(subject)}</li>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Email previews</title></head><body><h1>Email previews</h1><ul>"
        + "".join(rows)
        + "</ul></body></html>"
    )

"""GET /api/email-preview?template=welcome[&format=text]: an email as the mailer renders
it (its layout, subject and escaping included), for designers. Sends nothing."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse, PlainTextResponse, Response

from sentinel_spec.runtime import HttpError

PREVIEWS: dict[str, dict[str, Any]] = {
    "welcome": {"name": "Ada", "workspace": "Acme Security"},
    "incident": {"title": "Phishing campaign", "severity": "HIGH", "incident_id": "demo"},
}


async def email_preview(request: Any, context: Any) -> Response:
    template = request.query_params.get("template", "welcome")
    if template not in PREVIEWS:
        raise HttpError(404, f"no email template {template!r}", {"templates": sorted(PREVIEWS)})
    rendered = context.email.render(template, PREVIEWS[template])
    headers = {"X-Email-Subject": rendered.subject or ""}
    if request.query_params.get("format") == "text":
        return PlainTextResponse(rendered.text or "", headers=headers)
    return HTMLResponse(rendered.html or "", headers=headers)

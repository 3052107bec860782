"""GET /api/email-preview?template=welcome: render an email template for designers."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import HttpError, render

PREVIEWS: dict[str, dict[str, Any]] = {
    "welcome": {"name": "Ada", "workspace": "Acme Security"},
    "incident": {"title": "Phishing campaign", "severity": "HIGH", "incident_id": "demo"},
}


async def email_preview(request: Any, context: Any) -> Any:
    template = request.query_params.get("template", "welcome")
    if template not in PREVIEWS:
        raise HttpError(404, f"no email template {template!r}", {"templates": sorted(PREVIEWS)})
    return render(f"emails/{template}.html", PREVIEWS[template])

"""GET /api/screenshot/:alertId: where the screenshot of an alert's evidence lives."""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse

from sentinel_spec.runtime import HttpError


async def alert_screenshot(request: Any, context: Any) -> RedirectResponse:
    alert = await context.session.get(context.entities.Alert, request.path_params["alertId"])
    if alert is None or not alert.screenshotUrl:
        raise HttpError(404, "no screenshot for this alert")
    return RedirectResponse(alert.screenshotUrl, status_code=302)

"""The public landing page."""

from __future__ import annotations

from typing import Any

from src.client.web import component, page


@component
async def landing_page(request: Any, context: Any) -> Any:
    return await page(request, context, "landing.html")

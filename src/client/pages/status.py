"""GET /status: the public status page, from the same checks as ``GET /api/health``."""

from __future__ import annotations

from typing import Any

from src.client.web import component, page

# Check name (docs/runtime.md, Health) -> what a visitor reads.
COMPONENTS = {
    "db": "Database",
    "jobs": "Background jobs",
    "ratelimit": "Rate limiter",
    "realtime": "Live updates",
}


@component
async def status_page(request: Any, context: Any) -> Any:
    verdicts = await request.app.state.sentinel.health()
    components = [
        {"name": COMPONENTS.get(name, name), "up": up} for name, up in sorted(verdicts.items())
    ]
    all_up = all(c["up"] for c in components)
    return await page(
        request,
        context,
        "status.html",
        {"components": components, "all_up": all_up},
        status=200 if all_up else 503,
    )

"""GET /api/health: is the app up, and can it reach its database?"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text

STARTED = time.monotonic()


async def health(request: Any, context: Any) -> dict[str, Any]:
    try:
        await context.session.execute(text("select 1"))
        database = "ok"
    except Exception:
        # Health must answer even when the database does not; it reports, it doesn't fail.
        database = "unavailable"
    return {
        "status": "ok" if database == "ok" else "degraded",
        "app": "SentinelIQ",
        "database": database,
        "jobs": "not-configured",
        "uptimeSeconds": round(time.monotonic() - STARTED, 1),
    }

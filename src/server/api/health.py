"""GET /api/health: is the app up, can it reach its database, and how is the job queue?"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text

from sentinel_spec.runtime import jobs_state

STARTED = time.monotonic()


async def health(request: Any, context: Any) -> dict[str, Any]:
    try:
        await context.session.execute(text("select 1"))
        database = "ok"
    except Exception:
        # Health must answer even when the database does not; it reports, it doesn't fail.
        database = "unavailable"
    # {"status": "ok", "counts": {"todo": 3, ...}, "workers": 2, "oldestDueSeconds": 0.4}
    jobs = await jobs_state(request)
    healthy = database == "ok" and jobs["status"] == "ok"
    return {
        "status": "ok" if healthy else "degraded",
        "app": "SentinelIQ",
        "database": database,
        "jobs": jobs,
        "uptimeSeconds": round(time.monotonic() - STARTED, 1),
    }

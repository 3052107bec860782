"""The admin console's view of the platform: service health (PostgreSQL, Redis, the job
queue: the runtime's own health check), database metrics from PostgreSQL's statistics
views, and what the process runs on."""

from __future__ import annotations

import os
import platform
import sys
import time
from typing import Any

import sqlalchemy as sa

from src.core.admin import require_admin


async def _runtime_health(context: Any) -> dict[str, Any]:
    """The runtime's GET /api/health checks, run in-process (same code, no HTTP)."""
    from sentinel_spec.runtime.http.health import health_report

    status, body, _ = await health_report(context.request.app.state.sentinel)
    return {"httpStatus": status, **body}


async def system_health(context: Any) -> dict[str, Any]:
    require_admin(context)
    started = time.perf_counter()
    await context.session.execute(sa.text("SELECT 1"))
    database_ms = round((time.perf_counter() - started) * 1000, 2)
    try:
        report = await _runtime_health(context)
    except Exception as error:  # the health of the health check: say so, do not 500
        report = {"status": "unknown", "error": type(error).__name__}
    return {"database": {"status": "ok", "latencyMs": database_ms}, "runtime": report}


async def database_metrics(context: Any) -> dict[str, Any]:
    require_admin(context)
    session = context.session
    size = await session.scalar(sa.text("SELECT pg_database_size(current_database())"))
    connections = (
        await session.execute(
            sa.text(
                "SELECT count(*) AS total, count(*) FILTER (WHERE state = 'active') AS active "
                "FROM pg_stat_activity WHERE datname = current_database()"
            )
        )
    ).one()
    tables = await session.execute(
        sa.text(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) AS bytes "
            "FROM pg_stat_user_tables ORDER BY bytes DESC LIMIT 15"
        )
    )
    version = await session.scalar(sa.text("SHOW server_version"))
    return {
        "version": version,
        "sizeBytes": int(size or 0),
        "connections": {"total": int(connections.total), "active": int(connections.active)},
        "largestTables": [
            {"table": t.relname, "rows": int(t.n_live_tup), "bytes": int(t.bytes)} for t in tables
        ],
    }


async def infrastructure_status(context: Any) -> dict[str, Any]:
    require_admin(context)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadAverage": list(load) if load else None,
        "pid": os.getpid(),
        "environment": os.environ.get("SENTINEL_ENV", "development"),
    }

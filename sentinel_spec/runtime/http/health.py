"""``GET /api/health``: the app, and every dependency a feature registered a check for.

Features register their checks with ``AppBuilder.add_health_check(name, fn, critical=)``:
the database (``db``, critical), Redis (``ratelimit`` when its storage is Redis, not
critical: limits fail open), the job queue (``jobs``: its own report, with counts and
workers) and realtime's fan-out. All checks run at once, each bounded by 3 s. Each
dependency is ``ok`` or ``down`` (or the report its check gave): 200 ``{"status": "ok" |
"degraded", "app", "uptimeSeconds", <name>: ...}`` while every critical one is up, else
503 with the JSON error of RUNTIME.md whose ``details`` is that same report (so a load
balancer takes the instance out).

Served unless the spec declares its own api at ``GET /api/health`` (which then wins; it
can include this report with ``await request.app.state.sentinel.health()``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.runtime.errors import error_response
from sentinel_spec.runtime.serialization import dumps
from sentinel_spec.runtime.state import RuntimeState, healthy

STARTED = time.monotonic()


async def health_report(state: RuntimeState) -> tuple[int, dict[str, Any], list[str]]:
    """(HTTP status, the report, the names of the checks that are down)."""
    results = await state.health_report()
    report: dict[str, Any] = {"status": "ok", "app": state.decl.name}
    down: list[str] = []
    critical_down = False
    for name, result in results.items():
        up = healthy(result)
        # A check's own report (the job queue's counts and workers) is shown as it is.
        report[name] = dict(result) if isinstance(result, Mapping) else ("ok" if up else "down")
        if not up:
            down.append(name)
            critical_down = critical_down or state.health_checks[name][1]
            report["status"] = "degraded"
    report["uptimeSeconds"] = round(time.monotonic() - STARTED, 1)
    if critical_down:
        report["status"] = "unavailable"
        return 503, report, down
    return 200, report, down


def health_route(planned: PlannedRoute, state: RuntimeState) -> Route:
    async def health(request: Request) -> Response:
        status, report, down = await health_report(state)
        if status == 503:
            return error_response(503, "unavailable", f"down: {', '.join(down)}", report)
        return Response(dumps(report), media_type="application/json")

    return Route(planned.path, health, methods=list(planned.methods), name=planned.route_name)

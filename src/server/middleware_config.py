"""server.middlewareConfigFn: the whole server's middleware, adjusted for SentinelIQ."""

from __future__ import annotations

from typing import Any


def server_middleware(middleware: dict[str, Any]) -> dict[str, Any]:
    # The defaults (request id, security headers, CORS, body limits) suit SentinelIQ as they are;
    # this is the place to add one, e.g. middleware["gzip"] = Middleware(GZipMiddleware).
    return middleware

"""Logs, the request context, the access log and Sentry: installed first so they see
everything.

- ``context``: the current request's ids (request, user, workspace) in one contextvar
- ``request``: ``RequestContextMiddleware``, the fixed outer layer (request id, access
  log, last-resort JSON error)
- ``ecs`` / ``logging``: ECS JSON (or readable) lines and the ``dictConfig`` servers use
- ``logstash``: the non-blocking shipper ``LOGSTASH_URL`` turns on
- ``sentry``: sentry-sdk set-up, scrubbing, per-request context, ``monitored`` for jobs
- ``request_id``: the request id alone, for importers of the old module

``install`` initialises Sentry (``app.server.sentry`` with a DSN) before any other
feature installs, then adds the outer layers: trusted-proxy headers (so every layer sees
the real client), the request context, and Sentry's per-request scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    from starlette.middleware import Middleware

    from sentinel_spec.runtime.middleware.proxies import proxy_headers_middleware
    from sentinel_spec.runtime.middleware.security_headers import security_header_items
    from sentinel_spec.runtime.observability.request import RequestContextMiddleware
    from sentinel_spec.runtime.observability.sentry import init_from_decl

    sentry = init_from_decl(builder.decl, builder.settings)  # first: it sees what follows
    builder.add_outer_middleware(proxy_headers_middleware(builder.decl, builder.settings))
    fallback = security_header_items(builder.decl.security_headers)
    builder.add_outer_middleware(Middleware(RequestContextMiddleware, fallback_headers=fallback))
    if sentry:
        from sentinel_spec.runtime.observability.sentry import SentryMiddleware, flush

        builder.add_outer_middleware(Middleware(SentryMiddleware))

        async def flush_events() -> None:
            flush()

        builder.on_shutdown(flush_events)

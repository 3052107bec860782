"""Logs, the access log and (once it lands) Sentry: installed first so they see everything.

- ``request_id``: the contextvar holding the current request's id
- ``logging``: JSON / readable formatters and the ``dictConfig`` servers use
- ``access_log``: one line per request (outermost middleware)
- Sentry (``app.server.sentry``) lands here; until then ``contract.features`` marks it not served.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """The access log wraps every other layer, so it records the final status."""
    from starlette.middleware import Middleware

    from sentinel_spec.runtime.observability.access_log import AccessLogMiddleware

    builder.add_outer_middleware(Middleware(AccessLogMiddleware))

"""The always-on HTTP middleware: one module per middleware, each pure ASGI
(``__init__(app, ...)`` + ``async __call__(scope, receive, send)``).

- ``request_id``, ``security_headers``, ``cors``, ``body_limit``: the default stack
- ``headers``: raw ASGI header helpers they share
- ``stack``: the default named stack, ``middlewareConfigFn`` and per-scope dispatch
- ``deferred``: response headers a layer hands to the request context instead of wrapping
- ``fused``: the default stack as one callable for the operation routes (when unchanged)

``install`` puts the defaults into the builder's named stack; features add theirs with
``AppBuilder.add_middleware(name, Middleware(...), before=/after=)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    from sentinel_spec.runtime.middleware.cors import origins_for
    from sentinel_spec.runtime.middleware.stack import default_middleware

    origins = origins_for(builder.decl, builder.settings)
    for name, middleware in default_middleware(builder.decl, origins).items():
        builder.add_middleware(name, middleware)

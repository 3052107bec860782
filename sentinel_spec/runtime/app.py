"""``create_app(decl)``: the Starlette application of a generated Sentinel app.

It makes one ``AppBuilder`` (``runtime/state.py``) and hands it to each feature's
``install`` in a fixed order: observability first (so the access log and Sentry see
everything), the middleware defaults, the database, then rate limits, auth, email, jobs,
realtime, and last the HTTP routes of the route plan. Then it assembles the app: the
outer middleware, the named stack through ``middlewareConfigFn``, the JSON error handlers
and a lifespan running the features' start-up hooks and the spec's ``setupFn``.

Cheap to import: SQLAlchemy, pydantic and Jinja2 load only when the declaration needs them.
"""

from __future__ import annotations

import gc
import inspect
import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from sentinel_spec.contract.declarations import AppDecl, Env
from sentinel_spec.contract.features import REPORTED_ENV
from sentinel_spec.runtime.errors import EXCEPTION_HANDLERS
from sentinel_spec.runtime.settings import Settings, load_settings
from sentinel_spec.runtime.state import AppBuilder, DatabaseLike, Feature

# Net allocations between collections of the youngest generation while the app serves
# (lifespan below); a threshold set higher, or 0 (collection off), is left alone.
YOUNG_GC_THRESHOLD = 10_000

if TYPE_CHECKING:
    from sentinel_spec.runtime.middleware.fused import FusionPlan

log = logging.getLogger("sentinel.runtime")

# The features, in install order; each package exposes ``install(builder)``.
FEATURES: tuple[str, ...] = (
    "sentinel_spec.runtime.observability",
    "sentinel_spec.runtime.middleware",
    "sentinel_spec.runtime.db",
    "sentinel_spec.runtime.ratelimit",
    "sentinel_spec.runtime.auth",
    "sentinel_spec.runtime.email",
    "sentinel_spec.runtime.jobs",
    "sentinel_spec.runtime.realtime",
    "sentinel_spec.runtime.http",
)


class SentinelStarlette(Starlette):
    """Starlette whose stack answers operations through the fused default stack when
    start-up found the default one (``middleware/fused.py``); otherwise Starlette's own."""

    fusion: FusionPlan | None = None

    def build_middleware_stack(self) -> ASGIApp:
        composed = super().build_middleware_stack()
        if self.fusion is None:
            return composed
        return self.fusion.build(self.user_middleware, self.router, composed)


def _settings_for(
    decl: AppDecl, environ: Mapping[str, str] | None, dotenv: Path | None
) -> Settings:
    # The spec's env list, plus the Env markers the runtime itself resolves (deduplicated).
    sentry = decl.sentry
    own = [decl.cors_origins, decl.rate_limit_storage, decl.trusted_proxies]
    own += list(decl.cors_origins_by_env.values())
    if sentry is not None:
        own += [sentry.dsn, sentry.environment, sentry.release]
    envs = decl.env + tuple(v for v in own if isinstance(v, Env))
    return load_settings(envs, environ, dotenv)


def in_plan_order(decl: AppDecl, mounted: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The features' routes in the route plan's order (features install in their own
    order: auth mounts before http); routes the plan does not know keep their place last."""
    from starlette.routing import Route, WebSocketRoute

    from sentinel_spec.contract.routes import WEBSOCKET_METHOD, plan

    def key(route: BaseRoute) -> tuple[str, frozenset[str]] | None:
        if isinstance(route, WebSocketRoute):
            return route.path, frozenset({WEBSOCKET_METHOD})
        if not isinstance(route, Route):
            return None
        return route.path, frozenset(route.methods or ()) - {"HEAD"}

    order = {(p.path, frozenset(p.methods)): i for i, p in enumerate(plan(decl))}
    return sorted(mounted, key=lambda route: order.get(key(route), len(order)))  # type: ignore[arg-type]


def create_app(
    decl: AppDecl,
    *,
    environ: Mapping[str, str] | None = None,
    dotenv: Path | None = Path(".env"),
    database: DatabaseLike | None = None,
    features: Sequence[Feature] = (),
) -> Starlette:
    """The app for ``decl``. ``environ`` defaults to ``os.environ`` (over ``.env``);
    ``database`` replaces the one made from ``DATABASE_URL`` (tests, the dev server);
    ``features`` are extra ``install(builder)`` functions run after the built-in ones.

    Raises ``SettingsError`` (a ``SystemExit``) listing every missing/bad variable.
    """
    settings = _settings_for(decl, environ, dotenv)
    builder = AppBuilder(decl, settings, database)
    builder.report_unserved_features()
    for name in FEATURES:
        import_module(name).install(builder)
    for install in features:
        install(builder)
    state = builder.state

    from sentinel_spec.runtime.middleware.fused import fusion_plan
    from sentinel_spec.runtime.middleware.stack import middleware_list, resolve_stacks

    server_stack, scoped = resolve_stacks(decl, builder.middleware)
    middleware = builder.outer_middleware + middleware_list(server_stack, scoped)
    fusion = fusion_plan(
        middleware, builder.outer_middleware, builder.middleware, server_stack, scoped
    )
    quiet = (os.environ if environ is None else environ).get(REPORTED_ENV) == "1"

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        threshold = gc.get_threshold()  # given back at shutdown
        raised = False
        try:
            if not quiet:
                for line in state.not_served:
                    log.warning("%s", line)
            for startup in builder.startup:
                await startup()
            if decl.setup_fn is not None:
                outcome = decl.setup_fn(app)
                if inspect.isawaitable(outcome):
                    await outcome
            # What start-up built (modules, models, validators) lives as long as the app:
            # freeze it out of the cyclic collector, whose full passes would otherwise
            # rescan it while requests wait (bench/operations.py: p99 about a third lower).
            gc.collect(1)
            gc.freeze()
            # The young generation collected every 10,000 net allocations, not 700: with
            # 32 requests in flight (each holding its rows, ORM states and dicts) the
            # default ran ~20 collections a second of load for about 3% of the CPU and
            # pauses up to ~12 ms, while nearly all of it is freed by reference counting
            # anyway (bench/orm_path.py --clients 32: 156-177 passes in 8 s, then 1).
            if 0 < threshold[0] < YOUNG_GC_THRESHOLD:
                gc.set_threshold(YOUNG_GC_THRESHOLD, *threshold[1:])
                raised = True
            yield
        finally:
            if raised and gc.get_threshold()[0] == YOUNG_GC_THRESHOLD:
                gc.set_threshold(*threshold)
            gc.unfreeze()
            for shutdown in reversed(builder.shutdown):
                await shutdown()

    app = SentinelStarlette(
        routes=in_plan_order(decl, builder.routes),
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.fusion = fusion
    app.state.sentinel = state
    return app

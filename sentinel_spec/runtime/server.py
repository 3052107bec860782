"""``create_app(decl)``: the Starlette application of a generated Sentinel app.

Literal routes (operations, crud, apis, pages, ``/openapi.json``), the fixed access log,
the configurable middleware stack, the JSON error handlers and a lifespan that opens the
database and runs ``setup_fn``. Cheap to import: SQLAlchemy, pydantic and Jinja2 load
only when the declaration needs them.
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from sentinel_spec.runtime.apis import api_route
from sentinel_spec.runtime.calls import RuntimeState, guarded
from sentinel_spec.runtime.context import DatabaseLike
from sentinel_spec.runtime.declarations import AppDecl, Env, Operation
from sentinel_spec.runtime.errors import EXCEPTION_HANDLERS, HttpError
from sentinel_spec.runtime.middleware import (
    MiddlewareDispatcher,
    apply_config_fn,
    default_middleware,
    parse_origins,
    scoped_stacks,
)
from sentinel_spec.runtime.observability import AccessLogMiddleware
from sentinel_spec.runtime.operations import operation_route
from sentinel_spec.runtime.pages import PageRenderer, page_route
from sentinel_spec.runtime.settings import Settings, SettingsError, load_settings


def _settings_for(
    decl: AppDecl, environ: Mapping[str, str] | None, dotenv: Path | None
) -> Settings:
    # The spec's env list, plus the Env markers the runtime itself resolves (deduplicated).
    own = [decl.cors_origins, decl.rate_limit_storage, decl.sentry.dsn if decl.sentry else None]
    envs = decl.env + tuple(v for v in own if isinstance(v, Env))
    return load_settings(envs, environ, dotenv)


def _database_from(settings: Settings) -> DatabaseLike:
    # Made here, not in the lifespan: a bad DATABASE_URL is a settings problem, reported
    # like a missing variable. The engine connects lazily, so nothing touches the network.
    from sentinel_spec.runtime.db import Database, DatabaseConfigError

    try:
        return Database.from_env(settings.environ)
    except DatabaseConfigError as error:
        raise SettingsError([str(error)]) from None


def _all_operations(decl: AppDecl) -> tuple[Operation, ...]:
    if not decl.cruds:
        return decl.operations
    from sentinel_spec.runtime.crud import crud_operations  # only apps with crud need it

    generated = tuple(op for crud in decl.cruds for op in crud_operations(crud))
    return decl.operations + generated


def _openapi_route(path: str) -> Route:
    async def openapi(request: Request) -> Response:
        if not Path(path).is_file():
            raise HttpError(404, "openapi.json has not been generated")
        return FileResponse(path, media_type="application/json")

    return Route("/openapi.json", guarded("openapi", openapi), methods=["GET"], name="openapi")


def build_routes(decl: AppDecl, state: RuntimeState) -> list[BaseRoute]:
    routes: list[BaseRoute] = [operation_route(op, state) for op in _all_operations(decl)]
    renderer = PageRenderer(decl.templates_dir)
    routes += [api_route(api, state, renderer) for api in decl.apis]
    routes += [page_route(page, state, renderer) for page in decl.pages]
    if decl.openapi_path is not None:
        routes.append(_openapi_route(decl.openapi_path))
    return routes


def create_app(
    decl: AppDecl,
    *,
    environ: Mapping[str, str] | None = None,
    dotenv: Path | None = Path(".env"),
    database: DatabaseLike | None = None,
) -> Starlette:
    """The app for ``decl``. ``environ`` defaults to ``os.environ`` (over ``.env``);
    ``database`` replaces the one made from ``DATABASE_URL`` (tests, the dev server).

    Raises ``SettingsError`` (a ``SystemExit``) listing every missing/bad variable.
    """
    settings = _settings_for(decl, environ, dotenv)
    if database is None and decl.metadata is not None:
        database = _database_from(settings)
    state = RuntimeState(decl=decl, settings=settings, database=database)

    server_stack = apply_config_fn(
        decl.middleware_config_fn,
        default_middleware(decl, parse_origins(settings.resolve(decl.cors_origins))),
        f"app `{decl.name}`",
    )
    scoped = scoped_stacks(decl, server_stack)
    middleware = [Middleware(AccessLogMiddleware)]
    if scoped:
        middleware.append(
            Middleware(MiddlewareDispatcher, server_stack=server_stack, scoped=scoped)
        )
    else:  # one stack for every route: no per-request dispatch
        middleware.extend(server_stack.values())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            if decl.setup_fn is not None:
                outcome = decl.setup_fn(app)
                if inspect.isawaitable(outcome):
                    await outcome
            # What start-up built (modules, models, validators) lives as long as the app:
            # freeze it out of the cyclic collector, whose full passes would otherwise
            # rescan it while requests wait (bench/operations.py: p99 about a third lower).
            gc.collect(1)
            gc.freeze()
            yield
        finally:
            gc.unfreeze()
            if state.database is not None:
                await state.database.dispose()

    app = Starlette(
        routes=build_routes(decl, state),
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.sentinel = state
    return app

"""Operations, crud, apis, pages and ``/openapi.json``: mounted from the route plan.

- ``calls``: calling user code (thread pool for sync functions) and ``guarded`` endpoints
- ``operations``, ``crud``, ``apis``, ``pages``, ``openapi``: one route kind each

``install`` walks ``contract.routes.plan(decl)`` and mounts each row's handler, so the
runtime serves exactly the paths ``openapi.json`` and ``sentinel routes`` show. Rows of
other features (auth, websocket) are mounted by those features' own ``install``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from sentinel_spec.contract.declarations import AppDecl, Operation
    from sentinel_spec.runtime.state import AppBuilder


def all_operations(decl: AppDecl) -> tuple[Operation, ...]:
    """The spec's operations and the ones its crud declarations generate."""
    if not decl.cruds:
        return decl.operations
    from sentinel_spec.runtime.http.crud import crud_operations  # only apps with crud need it

    generated = tuple(op for crud in decl.cruds for op in crud_operations(crud))
    return decl.operations + generated


def install(builder: AppBuilder) -> None:
    from sentinel_spec.contract.routes import plan
    from sentinel_spec.runtime.http.apis import api_route
    from sentinel_spec.runtime.http.openapi import generated_file_route, openapi_route
    from sentinel_spec.runtime.http.operations import operation_route
    from sentinel_spec.runtime.http.pages import PageRenderer, page_route

    decl, state = builder.decl, builder.state
    operations = {op.name: op for op in all_operations(decl)}
    apis = {api.name: api for api in decl.apis}
    pages = {page.name: page for page in decl.pages}
    renderer = PageRenderer(decl.templates_dir)
    routes: list[BaseRoute] = []
    for planned in plan(decl):
        if planned.kind in ("query", "action", "crud"):
            routes.append(operation_route(operations[planned.name], planned, state))
        elif planned.kind == "api":
            routes.append(api_route(apis[planned.name], planned, state, renderer))
        elif planned.kind == "page":
            routes.append(page_route(pages[planned.name], planned, state, renderer))
        elif planned.kind == "openapi" and decl.openapi_path is not None:
            routes.append(openapi_route(planned, decl.openapi_path))
        elif planned.kind == "client" and decl.openapi_path is not None:
            client = str(Path(decl.openapi_path).with_name("client.js"))
            routes.append(generated_file_route(planned, client, "text/javascript"))
        elif planned.kind == "health":
            from sentinel_spec.runtime.http.health import health_route

            routes.append(health_route(planned, state))
    builder.add_routes(routes)

"""One module per feature of the spec; each contributes, for its declarations:

- ``functions(spec)``: the developer functions ``generated/server.py`` imports
- ``declarations(spec, writer)``: its keyword arguments of ``d.AppDecl(...)``
- ``routes(spec)``: its rows of the route plan (``contract.routes``)
- ``openapi(spec, document)``: its paths in ``openapi.json``

``server.py`` and ``openapi.py`` only assemble what the features give; adding a kind
adds (or extends) one module here (docs/adding-a-declaration-kind.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from sentinel_spec.appspec import AppSpec, ExtImport
from sentinel_spec.contract import routes
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs
from sentinel_spec.generator.features import apis, auth, crud, jobs, operations, pages, websockets

# In the order their declarations appear in d.AppDecl(...).
FEATURES: tuple[ModuleType, ...] = (operations, apis, pages, crud, jobs, websockets, auth)
# In the order the server matches their routes (contract.routes); /openapi.json is last.
ROUTE_ORDER: tuple[ModuleType, ...] = (operations, crud, apis, pages, auth, websockets)


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    for feature in FEATURES:
        yield from feature.functions(spec)


def declarations(spec: AppSpec, writer: DeclWriter) -> Kwargs:
    kwargs: Kwargs = []
    for feature in FEATURES:
        kwargs += feature.declarations(spec, writer)
    return kwargs


def route_plan(spec: AppSpec) -> tuple[PlannedRoute, ...]:
    """Every route the server will answer, from the spec alone: the compiler's twin of
    ``contract.routes.plan(decl)`` (a test holds the two to the same rows)."""
    rows: list[PlannedRoute] = []
    for feature in ROUTE_ORDER:
        rows += feature.routes(spec)
    if not routes.claims_health((api.method, api.path) for api in spec.apis):
        rows.append(routes.health())
    rows.append(routes.client_js())
    rows.append(routes.openapi())
    return tuple(routes.served_only(rows))

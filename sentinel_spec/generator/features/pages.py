"""``route`` and ``page``: server-rendered pages, one ``d.Page`` per route to a page."""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, ExtImport, Route
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import starlette_path
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call
from sentinel_spec.generator.openapi import OpenApiDocument


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    return (spec.page(route.to).component for route in spec.routes)


def declaration(spec: AppSpec, route: Route, w: DeclWriter) -> px.Call:
    page = spec.page(route.to)
    return call(
        "d.Page",
        [
            ("name", px.lit(page.name)),
            ("path", px.lit(starlette_path(route.path))),
            ("component", w.fn(page.component)),
            ("auth_required", px.lit(page.auth_required)),
        ],
    )


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    items = tuple(declaration(spec, route, w) for route in spec.routes)
    return [("pages", px.Tuple(items))] if items else []


def routes(spec: AppSpec) -> list[PlannedRoute]:
    rows = []
    for route in spec.routes:
        page = spec.page(route.to)
        rows.append(plan.page(page.name, route.path, auth_required=page.auth_required))
    return rows


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    """Pages answer HTML, not JSON: openapi.json leaves them out."""

"""``query`` and ``action``: ``d.Operation``s served at ``/operations/<kebab-name>``."""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, ExtImport, Operation
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import kebab
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call
from sentinel_spec.generator.openapi import OpenApiDocument, call_item


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    return (op.fn for op in spec.operations)


def declaration(op: Operation, w: DeclWriter) -> px.Call:
    return call(
        "d.Operation",
        [
            ("name", px.lit(op.name)),
            ("route_name", px.lit(kebab(op.name))),
            ("kind", px.lit(op.kind)),
            ("fn", w.fn(op.fn)),
            *w.entities(op.entities),
            ("auth", px.lit(op.auth)),
            *w.rate_limit(op.rate_limit),
        ],
    )


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    items = tuple(declaration(op, w) for op in spec.operations)
    return [("operations", px.Tuple(items))] if items else []


def routes_of(op: Operation) -> PlannedRoute:
    return plan.operation(op.name, op.kind, auth=op.auth)


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return [routes_of(op) for op in spec.operations]


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    for op in spec.operations:
        planned = routes_of(op)
        args = document.reader.args_schema(op.fn)
        item = call_item(op.name, f"{op.kind} {op.name}", "operations", planned, args, {})
        document.paths[planned.path] = item

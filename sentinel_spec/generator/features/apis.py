"""``api`` and ``apiNamespace``: custom HTTP routes and the middleware of a path prefix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sentinel_spec.appspec import Api, ApiNamespace, AppSpec, ExtImport
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import path_params, starlette_path
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, present
from sentinel_spec.generator.openapi import BEARER, OpenApiDocument, documented_methods, responses


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    for api in spec.apis:
        yield from present(api.fn, api.middleware_config_fn)
    for ns in spec.api_namespaces:
        yield ns.middleware_config_fn


def declaration(api: Api, w: DeclWriter) -> px.Call:
    kwargs: Kwargs = [
        ("name", px.lit(api.name)),
        ("method", px.lit(api.method)),
        ("path", px.lit(starlette_path(api.path))),
        ("fn", w.fn(api.fn)),
        *w.entities(api.entities),
        ("auth", px.lit(api.auth)),
    ]
    if api.middleware_config_fn is not None:
        kwargs.append(("middleware_config_fn", w.fn(api.middleware_config_fn)))
    kwargs += w.rate_limit(api.rate_limit)
    return call("d.Api", kwargs)


def namespace(ns: ApiNamespace, w: DeclWriter) -> px.Call:
    return call(
        "d.ApiNamespace",
        [
            ("name", px.lit(ns.name)),
            ("path", px.lit(ns.path)),
            ("middleware_config_fn", w.fn(ns.middleware_config_fn)),
        ],
    )


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    kwargs: Kwargs = []
    if spec.apis:
        kwargs.append(("apis", px.Tuple(tuple(declaration(api, w) for api in spec.apis))))
    if spec.api_namespaces:
        items = tuple(namespace(ns, w) for ns in spec.api_namespaces)
        kwargs.append(("api_namespaces", px.Tuple(items)))
    return kwargs


def route_of(api: Api) -> PlannedRoute:
    return plan.api(api.name, api.method, api.path, auth=api.auth)


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return [route_of(api) for api in spec.apis]


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    for api in spec.apis:
        add_api(document.paths, api, route_of(api), document.reader.returns(api.fn))


# What an api's 200 carries, by what its function says it returns (pyschema.returns).
API_CONTENT: dict[str, dict[str, Any]] = {
    "json": {"application/json": {"schema": {}}},
    "html": {"text/html": {"schema": {"type": "string"}}},
    "response": {"*/*": {"schema": {}}},
    "unknown": {"*/*": {"schema": {}}},
}


def add_api(
    paths: dict[str, dict[str, Any]], api: Api, planned: PlannedRoute, returns: str = "unknown"
) -> None:
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in path_params(api.path)
    ]
    methods = documented_methods(planned)
    item = paths.setdefault(planned.path, {})
    for method in methods:
        entry: dict[str, Any] = {
            "tags": ["apis"],
            "operationId": api.name if len(methods) == 1 else f"{api.name}_{method}",
            "summary": f"api {api.name}",
            "responses": {
                **responses({}),
                "200": {"description": "OK", "content": API_CONTENT[returns]},
            },
        }
        if parameters:
            entry["parameters"] = parameters
        if planned.auth:
            entry["security"] = BEARER
        item[method] = entry

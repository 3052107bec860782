"""``generated/openapi.json``: OpenAPI 3.1 for every operation, api and crud route.

Argument schemas come from :mod:`pyschema` (static reading of ``src/``); entity
schemas from the spec. Served by the runtime at ``GET /openapi.json``.
"""

from __future__ import annotations

import json
from typing import Any

from sentinel_spec.appspec import Api, AppSpec, Crud, Entity, Field, Operation
from sentinel_spec.generator.drafts import FileDraft
from sentinel_spec.generator.names import kebab, path_params, starlette_path
from sentinel_spec.generator.pyschema import JsonSchema, SchemaReader

OPENAPI_VERSION = "3.1.0"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]
ALL_METHODS = ("get", "post", "put", "patch", "delete")
CRUD_SEGMENTS = {
    "get": "get",
    "getAll": "get-all",
    "create": "create",
    "update": "update",
    "delete": "delete",
}

_SCALAR_SCHEMAS: dict[str, JsonSchema] = {
    "String": {"type": "string"},
    "Int": {"type": "integer"},
    "BigInt": {"type": "integer"},
    "Float": {"type": "number"},
    "Decimal": {"type": "string", "format": "decimal"},
    "Boolean": {"type": "boolean"},
    "DateTime": {"type": "string", "format": "date-time"},
    "Json": {},
    "Bytes": {"type": "string", "contentEncoding": "base64"},
}


def generate(spec: AppSpec) -> list[FileDraft]:
    document = build_document(spec)
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return [FileDraft("openapi.json", text)]


def build_document(spec: AppSpec) -> dict[str, Any]:
    reader = SchemaReader(spec.source_dir)
    paths: dict[str, dict[str, Any]] = {}
    for op in spec.operations:
        _add_operation(paths, op, reader.args_schema(op.fn))
    for api in spec.apis:
        _add_api(paths, api)
    for crud in spec.cruds:
        _add_crud(paths, crud, spec.entity(crud.entity))
    schemas: dict[str, JsonSchema] = dict(reader.components)
    for enum in spec.enums:
        schemas.setdefault(enum.name, {"type": "string", "enum": list(enum.members)})
    for entity in spec.entities:
        schemas.setdefault(entity.name, _entity_schema(entity))
    schemas["Error"] = _error_schema()
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": spec.app.title, "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


def _responses(ok: JsonSchema) -> dict[str, Any]:
    error = {"description": "Error", "content": {"application/json": {"schema": ERROR_REF}}}
    return {
        "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
        "default": error,
    }


def _json_body(schema: JsonSchema) -> dict[str, Any]:
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def _add_operation(paths: dict[str, dict[str, Any]], op: Operation, args: JsonSchema) -> None:
    common: dict[str, Any] = {"tags": ["operations"], "responses": _responses({})}
    if op.auth:
        common["security"] = BEARER
    item = {
        "post": {
            **common,
            "operationId": op.name,
            "summary": f"{op.kind} {op.name}",
            "requestBody": _json_body(args),
        }
    }
    if op.kind == "query":
        args_param = {
            "name": "args",
            "in": "query",
            "required": False,
            "description": "The arguments, JSON-encoded.",
            "content": {"application/json": {"schema": args}},
        }
        item["get"] = {
            **common,
            "operationId": f"{op.name}ViaGet",
            "summary": f"query {op.name}",
            "parameters": [args_param],
        }
    paths[f"/operations/{kebab(op.name)}"] = item


def _add_api(paths: dict[str, dict[str, Any]], api: Api) -> None:
    path = starlette_path(api.path)
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in path_params(api.path)
    ]
    methods = ALL_METHODS if api.method == "ALL" else (api.method.lower(),)
    item = paths.setdefault(path, {})
    for method in methods:
        entry: dict[str, Any] = {
            "tags": ["apis"],
            "operationId": api.name if len(methods) == 1 else f"{api.name}_{method}",
            "summary": f"api {api.name}",
            "responses": _responses({}),
        }
        if parameters:
            entry["parameters"] = parameters
        if api.auth:
            entry["security"] = BEARER
        item[method] = entry


def _add_crud(paths: dict[str, dict[str, Any]], crud: Crud, entity: Entity) -> None:
    """The runtime's crud contract (docs/data-model.md): key lookups, pages, column writes."""
    ref = {"$ref": f"#/components/schemas/{crud.entity}"}
    key = {
        "type": "object",
        "properties": {k: _field_schema(entity.field(k)) for k in entity.primary_key},
        "required": list(entity.primary_key),
    }
    page = {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            "offset": {"type": "integer", "minimum": 0, "default": 0},
        },
    }
    items = {"type": "array", "items": ref}
    listing = {"type": "object", "properties": {"items": items, "total": {"type": "integer"}}}
    shapes: dict[str, tuple[JsonSchema, JsonSchema]] = {
        "get": (key, ref),
        "getAll": (_any_of_null(page), listing),
        "create": ({"type": "object"}, ref),
        "update": ({"type": "object"}, ref),
        "delete": (key, ref),
    }
    for op in crud.operations:
        args, result = shapes[op.op]
        entry: dict[str, Any] = {
            "tags": ["crud"],
            "operationId": f"{crud.name}_{op.op}",
            "summary": f"crud {crud.name}.{op.op} ({crud.entity})",
            "requestBody": _json_body(args),
            "responses": _responses(result),
        }
        if not op.is_public:
            entry["security"] = BEARER
        paths[f"/crud/{kebab(crud.name)}/{CRUD_SEGMENTS[op.op]}"] = {"post": entry}


def _any_of_null(schema: JsonSchema) -> JsonSchema:
    return {"anyOf": [schema, {"type": "null"}]}


def _field_schema(f: Field) -> JsonSchema:
    if f.kind == "enum":
        schema: JsonSchema = {"$ref": f"#/components/schemas/{f.type}"}
    else:
        schema = dict(_SCALAR_SCHEMAS.get(f.type, {}))
    if f.is_list:
        schema = {"type": "array", "items": schema}
    if f.optional:
        schema = {"anyOf": [schema, {"type": "null"}]} if schema else {}
    return schema


def _entity_schema(entity: Entity) -> JsonSchema:
    """An entity's columns as returned in JSON (relations are not serialised)."""
    properties = {f.name: _field_schema(f) for f in entity.scalar_fields}
    required = [f.name for f in entity.scalar_fields if not f.optional]
    return {"type": "object", "title": entity.name, "properties": properties, "required": required}


def _error_schema() -> JsonSchema:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {},
                    "requestId": {"type": "string"},
                },
            }
        },
    }

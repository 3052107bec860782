"""``generated/openapi.json``: OpenAPI 3.1 for every operation, api and crud route.

Argument schemas come from :mod:`pyschema` (static reading of ``src/``); entity
schemas from the spec. Served by the runtime at ``GET /openapi.json``.
"""

from __future__ import annotations

import json
from typing import Any

from sentinel_spec.appspec import Api, AppSpec, Crud, Entity, Field
from sentinel_spec.contract.names import path_params
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator.drafts import FileDraft
from sentinel_spec.generator.models import attribute_name
from sentinel_spec.generator.pyschema import JsonSchema, SchemaReader

OPENAPI_VERSION = "3.1.0"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]

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
    operations = {op.name: op for op in spec.operations}
    apis = {api.name: api for api in spec.apis}
    crud_shapes: dict[str, tuple[Crud, Any, tuple[JsonSchema, JsonSchema]]] = {}
    for crud in spec.cruds:
        shapes = _crud_shapes(crud, spec.entity(crud.entity))
        for cop in crud.operations:
            crud_shapes[f"{crud.name}.{cop.op}"] = (crud, cop, shapes[cop.op])
    paths: dict[str, dict[str, Any]] = {}
    # The route plan says which path and methods; this module says what each carries.
    for planned in spec.route_plan():
        if planned.kind in ("query", "action"):
            op = operations[planned.name]
            args = reader.args_schema(op.fn)
            summary = f"{op.kind} {op.name}"
            paths[planned.path] = _call_item(op.name, summary, "operations", planned, args, {})
        elif planned.kind == "crud":
            crud, cop, (args, result) = crud_shapes[planned.name]
            summary = f"crud {crud.name}.{cop.op} ({crud.entity})"
            operation_id = f"{crud.name}_{cop.op}"
            paths[planned.path] = _call_item(operation_id, summary, "crud", planned, args, result)
        elif planned.kind == "api":
            _add_api(paths, apis[planned.name], planned)
        elif planned.kind == "auth":
            _add_auth(paths, planned)
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


def _call_item(
    operation_id: str,
    summary: str,
    tag: str,
    planned: PlannedRoute,
    args: JsonSchema,
    result: JsonSchema,
) -> dict[str, Any]:
    """An operation's path item: POST with a JSON body; a query also by GET ``?args=``."""
    common: dict[str, Any] = {"tags": [tag], "summary": summary, "responses": _responses(result)}
    if planned.auth:
        common["security"] = BEARER
    item = {"post": {**common, "operationId": operation_id, "requestBody": _json_body(args)}}
    if "GET" in planned.methods:
        args_param = {
            "name": "args",
            "in": "query",
            "required": False,
            "description": "The arguments, JSON-encoded.",
            "content": {"application/json": {"schema": args}},
        }
        item["get"] = {**common, "operationId": f"{operation_id}ViaGet", "parameters": [args_param]}
    return item


def _documented_methods(planned: PlannedRoute) -> tuple[str, ...]:
    # OPTIONS (answered for CORS preflights) is not an operation of the api.
    return tuple(m.lower() for m in planned.methods if m != "OPTIONS")


def _add_api(paths: dict[str, dict[str, Any]], api: Api, planned: PlannedRoute) -> None:
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in path_params(api.path)
    ]
    methods = _documented_methods(planned)
    item = paths.setdefault(planned.path, {})
    for method in methods:
        entry: dict[str, Any] = {
            "tags": ["apis"],
            "operationId": api.name if len(methods) == 1 else f"{api.name}_{method}",
            "summary": f"api {api.name}",
            "responses": _responses({}),
        }
        if parameters:
            entry["parameters"] = parameters
        if planned.auth:
            entry["security"] = BEARER
        item[method] = entry


def _add_auth(paths: dict[str, dict[str, Any]], planned: PlannedRoute) -> None:
    """An auth route (once ``auth`` is served); its bodies are RUNTIME.md's Auth table."""
    item = paths.setdefault(planned.path, {})
    for method in _documented_methods(planned):
        entry: dict[str, Any] = {
            "tags": ["auth"],
            "operationId": f"auth_{planned.name}",
            "summary": f"auth {planned.name}",
            "responses": _responses({}),
        }
        if planned.auth:
            entry["security"] = BEARER
        item[method] = entry


def _crud_shapes(crud: Crud, entity: Entity) -> dict[str, tuple[JsonSchema, JsonSchema]]:
    """(args, result) of each crud op: the runtime's contract (docs/data-model.md)."""
    ref = {"$ref": f"#/components/schemas/{crud.entity}"}
    key = {
        "type": "object",
        "properties": {
            attribute_name(k): _field_schema(entity.field(k)) for k in entity.primary_key
        },
        "required": [attribute_name(k) for k in entity.primary_key],
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
    writable = [f for f in entity.scalar_fields if not _server_generated(f)]
    create = _object(
        {attribute_name(f.name): _field_schema(f) for f in writable},
        [attribute_name(f.name) for f in writable if _required_on_create(f)],
    )
    update = _object(
        {attribute_name(f.name): _field_schema(f) for f in writable},
        [attribute_name(k) for k in entity.primary_key],
    )
    return {
        "get": (key, ref),
        "getAll": (_any_of_null(page), listing),
        "create": (create, ref),
        "update": (update, ref),
        "delete": (key, ref),
    }


def _server_generated(f: Field) -> bool:
    """Never written by a client: identity ids and @updatedAt (docs/data-model.md)."""
    return f.updated_at or (f.default is not None and f.default.kind == "autoincrement")


def _required_on_create(f: Field) -> bool:
    # A scalar list left out starts empty; a default or NULL fills anything else.
    return not (f.optional or f.is_list or f.default is not None)


def _object(properties: dict[str, JsonSchema], required: list[str]) -> JsonSchema:
    return {"type": "object", "properties": properties, "required": required}


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
    # Keyed like the runtime's JSON: by attribute name (``metadata`` is ``metadata_``).
    properties = {attribute_name(f.name): _field_schema(f) for f in entity.scalar_fields}
    required = [attribute_name(f.name) for f in entity.scalar_fields if not f.optional]
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
                    "requestId": {"type": ["string", "null"]},
                },
            }
        },
    }

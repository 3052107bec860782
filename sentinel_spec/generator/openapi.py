"""``generated/openapi.json``: OpenAPI 3.1 for every route of the route plan.

Each feature module (``generator/features/``) adds the paths of its routes with the
helpers here; argument schemas come from :mod:`pyschema` (static reading of ``src/``),
entity schemas from the spec. Served by the runtime at ``GET /openapi.json``.
"""

from __future__ import annotations

import json
from typing import Any

from sentinel_spec.appspec import AppSpec, Entity, Field
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


class OpenApiDocument:
    """What the feature modules fill: ``paths`` (keyed by the route plan's paths)."""

    def __init__(self, reader: SchemaReader) -> None:
        self.reader = reader
        self.paths: dict[str, dict[str, Any]] = {}


def build_document(spec: AppSpec) -> dict[str, Any]:
    from sentinel_spec.generator import features

    document = OpenApiDocument(SchemaReader(spec.source_dir))
    for feature in features.FEATURES:
        feature.openapi(spec, document)
    for planned in features.route_plan(spec):
        if planned.kind == "health":
            document.paths[planned.path] = _health_item()
    schemas: dict[str, JsonSchema] = dict(document.reader.components)
    for enum in spec.enums:
        schemas.setdefault(enum.name, {"type": "string", "enum": list(enum.members)})
    for entity in spec.entities:
        schemas.setdefault(entity.name, _entity_schema(entity))
    schemas["Error"] = _error_schema()
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": spec.app.title, "version": "1.0.0"},
        "paths": document.paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


def responses(ok: JsonSchema) -> dict[str, Any]:
    error = {"description": "Error", "content": {"application/json": {"schema": ERROR_REF}}}
    return {
        "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
        "default": error,
    }


def accepts_null(schema: JsonSchema) -> bool:
    """Whether ``schema`` lets a call send no arguments (an empty body is ``null``)."""
    if not schema or schema.get("type") == "null":
        return True
    return any(accepts_null(option) for option in schema.get("anyOf", ()))


def _json_body(schema: JsonSchema) -> dict[str, Any]:
    # Required unless null is valid: an empty body is null, which the server then refuses.
    return {
        "required": not accepts_null(schema),
        "content": {"application/json": {"schema": schema}},
    }


def call_item(
    operation_id: str,
    summary: str,
    tag: str,
    planned: PlannedRoute,
    args: JsonSchema,
    result: JsonSchema,
) -> dict[str, Any]:
    """An operation's path item: POST with a JSON body; a query also by GET ``?args=``."""
    common: dict[str, Any] = {"tags": [tag], "summary": summary, "responses": responses(result)}
    if planned.auth:
        common["security"] = BEARER
    item = {"post": {**common, "operationId": operation_id, "requestBody": _json_body(args)}}
    if "GET" in planned.methods:
        args_param = {
            "name": "args",
            "in": "query",
            "required": not accepts_null(args),
            "description": "The arguments, JSON-encoded.",
            "content": {"application/json": {"schema": args}},
        }
        item["get"] = {**common, "operationId": f"{operation_id}ViaGet", "parameters": [args_param]}
    return item


def _health_item() -> dict[str, Any]:
    """The runtime's ``GET /api/health`` (runtime/http/health.py)."""
    report = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok", "degraded"]},
            "app": {"type": "string"},
            "uptimeSeconds": {"type": "number"},
        },
        # One entry per check: "ok" / "down", or the check's own report (the job queue's).
        "additionalProperties": {
            "anyOf": [{"type": "string", "enum": ["ok", "down"]}, {"type": "object"}]
        },
        "required": ["status", "app"],
    }
    return {
        "get": {
            "tags": ["runtime"],
            "operationId": "health",
            "summary": "the app and its dependencies (503 when a critical one is down)",
            "responses": responses(report),
        }
    }


def documented_methods(planned: PlannedRoute) -> tuple[str, ...]:
    # OPTIONS (answered for CORS preflights) is not an operation of the api.
    return tuple(m.lower() for m in planned.methods if m != "OPTIONS")


def object_schema(
    properties: dict[str, JsonSchema], required: list[str], *, closed: bool = False
) -> JsonSchema:
    """An object; ``closed`` when the runtime refuses unknown fields (crud's arguments,
    validated with ``extra="forbid"``), so the schema says so."""
    schema: JsonSchema = {"type": "object", "properties": properties, "required": required}
    if closed:
        schema["additionalProperties"] = False
    return schema


def any_of_null(schema: JsonSchema) -> JsonSchema:
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(f: Field) -> JsonSchema:
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
    properties = {attribute_name(f.name): field_schema(f) for f in entity.scalar_fields}
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

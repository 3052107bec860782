"""``crud``: get, getAll, create, update, delete of one entity, served at
``/crud/<kebab-name>/<op>`` by operations the runtime derives from the model."""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, Crud, CrudOperation, Entity, ExtImport, Field
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import kebab
from sentinel_spec.contract.routes import BIGINT_MAX, PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, present
from sentinel_spec.generator.models import attribute_name
from sentinel_spec.generator.openapi import (
    OpenApiDocument,
    any_of_null,
    call_item,
    field_schema,
    object_schema,
)
from sentinel_spec.generator.pyschema import JsonSchema


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    for crud in spec.cruds:
        yield from present(*(op.override_fn for op in crud.operations))


def declaration(crud: Crud, w: DeclWriter) -> px.Call:
    ops: list[px.Expr] = []
    for op in crud.operations:
        op_kwargs: Kwargs = [("op", px.lit(op.op)), ("is_public", px.lit(op.is_public))]
        if op.override_fn is not None:
            op_kwargs.append(("override_fn", w.fn(op.override_fn)))
        ops.append(px.Call("d.CrudOperation", kwargs=tuple(op_kwargs)))
    return call(
        "d.Crud",
        [
            ("name", px.lit(crud.name)),
            ("route_name", px.lit(kebab(crud.name))),
            ("model", px.Code(f"models.{crud.entity}")),
            ("operations", px.Tuple(tuple(ops))),
        ],
    )


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    items = tuple(declaration(crud, w) for crud in spec.cruds)
    return [("cruds", px.Tuple(items))] if items else []


def route_of(crud: Crud, op: CrudOperation) -> PlannedRoute:
    return plan.crud(crud.name, op.op, is_public=op.is_public)


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return [route_of(crud, op) for crud in spec.cruds for op in crud.operations]


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    for crud in spec.cruds:
        shapes = crud_shapes(crud, spec.entity(crud.entity))
        for op in crud.operations:
            planned = route_of(crud, op)
            args, result = shapes[op.op]
            summary = f"crud {crud.name}.{op.op} ({crud.entity})"
            item = call_item(f"{crud.name}_{op.op}", summary, "crud", planned, args, result)
            document.paths[planned.path] = item


def crud_shapes(crud: Crud, entity: Entity) -> dict[str, tuple[JsonSchema, JsonSchema]]:
    """(args, result) of each crud op: the runtime's contract (docs/data-model.md)."""
    ref = {"$ref": f"#/components/schemas/{crud.entity}"}
    key = object_schema(
        {attribute_name(k): field_schema(entity.field(k)) for k in entity.primary_key},
        [attribute_name(k) for k in entity.primary_key],
        closed=True,
    )
    page = object_schema(
        {
            "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            # PostgreSQL's OFFSET is a bigint.
            "offset": {"type": "integer", "minimum": 0, "maximum": BIGINT_MAX, "default": 0},
        },
        [],
        closed=True,
    )
    items = {"type": "array", "items": ref}
    listing = {"type": "object", "properties": {"items": items, "total": {"type": "integer"}}}
    writable = [f for f in entity.scalar_fields if not _server_generated(f)]
    create = object_schema(
        {attribute_name(f.name): field_schema(f) for f in writable},
        [attribute_name(f.name) for f in writable if _required_on_create(f)],
        closed=True,
    )
    update = object_schema(
        {attribute_name(f.name): field_schema(f) for f in writable},
        [attribute_name(k) for k in entity.primary_key],
        closed=True,
    )
    return {
        "get": (key, ref),
        "getAll": (any_of_null(page), listing),
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

"""``crud`` declarations as operations: get, getAll, create, update, delete of one model.

Each listed op becomes an ``Operation`` served at ``/crud/<route_name>/<segment>``;
its args are a pydantic model derived from the SQLAlchemy model's columns, so a
request is validated (and documented in OpenAPI) like any other operation.

- ``get`` / ``delete``: the primary key fields -> the row (404 when missing).
- ``getAll``: ``{limit = 50 (1..500), offset = 0}`` or null -> ``{"items": [...], "total": n}``,
  ordered by primary key so pages are stable.
- ``create``: every column except server-generated ones (identity ids, ``@updatedAt``);
  a column with a default or NULL allowed is optional -> the new row.
- ``update``: the primary key plus any other column; only the fields sent change -> the row.

Unique or foreign key violations answer 409, other constraint violations 400.
The full contract is in ``docs/data-model.md``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.contract import routes
from sentinel_spec.contract.declarations import Crud, CrudOperation, Operation
from sentinel_spec.contract.routes import BIGINT_MAX
from sentinel_spec.runtime.db.failures import client_error
from sentinel_spec.runtime.errors import HttpError, bounded

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


CrudFn = Callable[[Any, Any], Awaitable[Any]]


@dataclass(frozen=True)
class ColumnInfo:
    """What the args models need to know about one mapped column."""

    key: str  # the attribute name, which is also the JSON field name
    python_type: Any
    nullable: bool
    primary_key: bool
    has_default: bool  # client or server side
    server_generated: bool  # identity or @updatedAt: never written by a client


def model_columns(model: type[Any]) -> tuple[ColumnInfo, ...]:
    """The mapped columns of ``model``, in declaration order."""
    mapper: sa.orm.Mapper[Any] = sa.inspect(model)
    infos = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column, sa.Column):
            continue  # a column_property over an expression is read-only
        infos.append(
            ColumnInfo(
                key=attr.key,
                python_type=_python_type(column.type),
                nullable=bool(column.nullable) and not column.primary_key,
                primary_key=column.primary_key,
                has_default=column.default is not None or column.server_default is not None,
                server_generated=column.identity is not None
                or column.onupdate is not None
                or (column.primary_key and column.autoincrement is True),
            )
        )
    return tuple(infos)


def _python_type(column_type: sa.types.TypeEngine[Any]) -> Any:
    if isinstance(column_type, sa.ARRAY):
        return list[_python_type(column_type.item_type)]  # type: ignore[misc]
    if isinstance(column_type, sa.JSON):
        return Any
    try:
        return column_type.python_type
    except NotImplementedError:
        return Any


# ---------------------------------------------------------------- args models


def _args_model(name: str, fields: dict[str, Any]) -> type[pydantic.BaseModel]:
    # extra="forbid": a misspelled field is a 400, not a silently ignored value.
    config = pydantic.ConfigDict(extra="forbid")
    return pydantic.create_model(name, __config__=config, **fields)


def _key_fields(columns: Sequence[ColumnInfo]) -> dict[str, Any]:
    return {c.key: (c.python_type, ...) for c in columns if c.primary_key}


def get_args_model(model: type[Any], columns: Sequence[ColumnInfo]) -> type[pydantic.BaseModel]:
    return _args_model(f"{model.__name__}KeyArgs", _key_fields(columns))


def get_all_args_model(model: type[Any]) -> type[pydantic.BaseModel]:
    limit = pydantic.Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset = pydantic.Field(0, ge=0, le=BIGINT_MAX)  # PostgreSQL's OFFSET is a bigint
    return _args_model(
        f"{model.__name__}GetAllArgs", {"limit": (int, limit), "offset": (int, offset)}
    )


def create_args_model(model: type[Any], columns: Sequence[ColumnInfo]) -> type[pydantic.BaseModel]:
    fields: dict[str, Any] = {}
    for c in columns:
        if c.server_generated:
            continue
        annotation = c.python_type | None if c.nullable else c.python_type
        required = not (c.nullable or c.has_default)
        # An omitted optional field is left out of the INSERT, so its default applies.
        fields[c.key] = (annotation, ... if required else None)
    return _args_model(f"{model.__name__}CreateArgs", fields)


def update_args_model(model: type[Any], columns: Sequence[ColumnInfo]) -> type[pydantic.BaseModel]:
    fields = _key_fields(columns)
    for c in columns:
        if c.primary_key or c.server_generated:
            continue
        # Defaults are not validated: omitting a NOT NULL field is fine, sending null is not.
        annotation = c.python_type | None if c.nullable else c.python_type
        fields[c.key] = (annotation, None)
    return _args_model(f"{model.__name__}UpdateArgs", fields)


# ---------------------------------------------------------------- operation bodies


def _validated(args_type: type[pydantic.BaseModel], args: Any) -> pydantic.BaseModel:
    """The runtime passes validated models; direct callers may pass a dict."""
    if isinstance(args, args_type):
        return args
    return args_type.model_validate(args if args is not None else {})


def _key(args: pydantic.BaseModel, columns: Sequence[ColumnInfo]) -> tuple[Any, ...]:
    return tuple(getattr(args, c.key) for c in columns if c.primary_key)


async def _flush_and_load(session: AsyncSession, row: Any) -> None:
    """Write ``row`` now, turning constraint violations into HTTP errors, and load its columns."""
    try:
        await session.flush()
    except IntegrityError as error:
        raise _constraint_error(error) from error
    if sa.inspect(row).expired_attributes:
        # Server-generated values not returned by the INSERT/UPDATE; the caller
        # serialises the row after this function, where async lazy loads cannot run.
        await session.refresh(row)


def _constraint_error(error: IntegrityError) -> HttpError:
    return client_error(error) or HttpError(400, "The values break a constraint of the table")


def _not_found(model: type[Any], key: tuple[Any, ...]) -> HttpError:
    shown = key[0] if len(key) == 1 else list(key)
    return HttpError(404, f"{model.__name__} {bounded(repr(shown), 100)} not found")


def _get_fn(model: type[Any], columns: Sequence[ColumnInfo], args_type: Any) -> CrudFn:
    async def get(args: Any, context: Any) -> Any:
        key = _key(_validated(args_type, args), columns)
        row = await context.session.get(model, key)
        if row is None:
            raise _not_found(model, key)
        return row

    return get


def _get_all_fn(model: type[Any], columns: Sequence[ColumnInfo], args_type: Any) -> CrudFn:
    """One round trip: the page's columns with the table's count as a scalar subquery
    (PostgreSQL runs it once, as an InitPlan, and the page still stops after ``limit``
    rows; one statement also reads page and total from one snapshot). Rows come back as
    dicts of the columns, the JSON form of the model (runtime/serialization.py), without
    building ORM instances nobody will change. Only an empty page asks for the count
    on its own."""
    order = [getattr(model, c.key) for c in columns if c.primary_key]
    mapper: sa.orm.Mapper[Any] = sa.inspect(model)
    keys = tuple(attr.key for attr in mapper.column_attrs)  # as the model serialises
    count = sa.select(sa.func.count()).select_from(model)
    # One statement object for every call, limit and offset bound: SQLAlchemy keeps its
    # cache key on the object (computing it per call was 6% of the crud profile).
    page_query = (
        sa.select(*(getattr(model, key) for key in keys), count.scalar_subquery())
        .order_by(*order)
        .limit(sa.bindparam("page_limit", type_=sa.BigInteger))
        .offset(sa.bindparam("page_offset", type_=sa.BigInteger))
    )
    width = len(keys)

    async def get_all(args: Any, context: Any) -> dict[str, Any]:
        page = _validated(args_type, args).model_dump()
        session: AsyncSession = context.session
        bounds = {"page_limit": page["limit"], "page_offset": page["offset"]}
        rows = (await session.execute(page_query, bounds)).all()
        if not rows:  # past the end (or an empty table): no row carries the count
            return {"items": [], "total": await session.scalar(count)}
        # zip stops after the columns: the row's last value is the total.
        items = [dict(zip(keys, row, strict=False)) for row in rows]
        return {"items": items, "total": rows[0][width]}

    return get_all


def _create_fn(model: type[Any], args_type: Any) -> CrudFn:
    async def create(args: Any, context: Any) -> Any:
        values = _validated(args_type, args).model_dump(exclude_unset=True)
        row = model(**values)
        context.session.add(row)
        await _flush_and_load(context.session, row)
        return row

    return create


def _update_fn(model: type[Any], columns: Sequence[ColumnInfo], args_type: Any) -> CrudFn:
    keys = {c.key for c in columns if c.primary_key}

    async def update(args: Any, context: Any) -> Any:
        validated = _validated(args_type, args)
        key = _key(validated, columns)
        row = await context.session.get(model, key)
        if row is None:
            raise _not_found(model, key)
        for name, value in validated.model_dump(exclude_unset=True).items():
            if name not in keys:
                setattr(row, name, value)
        await _flush_and_load(context.session, row)
        return row

    return update


def _delete_fn(model: type[Any], columns: Sequence[ColumnInfo], args_type: Any) -> CrudFn:
    async def delete(args: Any, context: Any) -> Any:
        key = _key(_validated(args_type, args), columns)
        session: AsyncSession = context.session
        row = await session.get(model, key)
        if row is None:
            raise _not_found(model, key)
        await session.delete(row)
        try:
            await session.flush()
        except IntegrityError as error:  # onDelete: Restrict
            raise _constraint_error(error) from error
        return row  # its columns stay loaded: the client gets what was deleted

    return delete


# ---------------------------------------------------------------- the operations


def crud_operations(crud: Crud) -> tuple[Operation, ...]:
    """One ``Operation`` per listed op of ``crud``, in the order they were declared."""
    model = crud.model
    columns = model_columns(model)
    return tuple(_operation(crud, op, columns) for op in crud.operations)


def _operation(crud: Crud, op: CrudOperation, columns: Sequence[ColumnInfo]) -> Operation:
    model = crud.model
    args_type: Any
    fn: CrudFn
    if op.op == "get":
        args_type = get_args_model(model, columns)
        fn = _get_fn(model, columns, args_type)
    elif op.op == "getAll":
        page_type = get_all_args_model(model)
        fn = _get_all_fn(model, columns, page_type)
        args_type = page_type | None  # an empty body (null) asks for the first page
    elif op.op == "create":
        args_type = create_args_model(model, columns)
        fn = _create_fn(model, args_type)
    elif op.op == "update":
        args_type = update_args_model(model, columns)
        fn = _update_fn(model, columns, args_type)
    else:
        args_type = get_args_model(model, columns)
        fn = _delete_fn(model, columns, args_type)
    planned = routes.crud(crud.name, op.op, is_public=op.is_public, route_name=crud.route_name)
    return Operation(
        name=planned.name,
        route_name=f"{crud.route_name}/{routes.CRUD_SEGMENTS[op.op]}",
        kind="query" if op.op in routes.CRUD_QUERIES else "action",
        fn=op.override_fn if op.override_fn is not None else fn,
        entities={model.__name__: model},
        auth=not op.is_public,
        args_type=args_type,
        path=planned.path,
    )

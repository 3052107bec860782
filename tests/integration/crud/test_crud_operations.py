"""crud_operations on models generated from a spec, called directly on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sentinel_spec.appspec import App, AppSpec, Default, Entity, Enum, Field, Relation
from sentinel_spec.contract.declarations import Crud, CrudOperation, Operation
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.http.crud import crud_operations
from sentinel_spec.runtime.serialization import dumps
from tests.model_specs import import_models, sessions_on

pytestmark = pytest.mark.postgres

ALL_OPS = ("get", "getAll", "create", "update", "delete")


def todo_spec() -> AppSpec:
    project = Entity(
        name="Project",
        table_name="projects",
        primary_key=("id",),
        fields=(
            Field("id", "String", "scalar", is_id=True, default=Default("uuid")),
            Field("name", "String", "scalar", is_unique=True),
            Field(
                "tasks",
                "Task",
                "relation",
                is_list=True,
                relation=Relation("Task", back_populates="project"),
            ),
        ),
    )
    task = Entity(
        name="Task",
        table_name="Task",
        primary_key=("id",),
        fields=(
            Field("id", "Int", "scalar", is_id=True, default=Default("autoincrement")),
            Field("description", "String", "scalar"),
            Field("note", "String", "scalar", optional=True),
            Field("isDone", "Boolean", "scalar", default=Default("literal", False)),
            Field("priority", "Priority", "enum", default=Default("enum", "LOW")),
            Field("labels", "String", "scalar", is_list=True),
            Field(
                "project",
                "Project",
                "relation",
                optional=True,
                relation=Relation(
                    "Project", fields=("projectId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("projectId", "String", "scalar", optional=True),
            Field("createdAt", "DateTime", "scalar", default=Default("now")),
            Field("updatedAt", "DateTime", "scalar", updated_at=True),
        ),
    )
    pair = Entity(  # a composite primary key
        name="Pair",
        table_name="Pair",
        primary_key=("left", "right"),
        fields=(
            Field("left", "String", "scalar", is_id=True),
            Field("right", "Int", "scalar", is_id=True),
            Field("label", "String", "scalar", optional=True),
        ),
    )
    return AppSpec(
        app=App(name="Todo", title="Todo"),
        entities=(project, task, pair),
        enums=(Enum("Priority", ("LOW", "HIGH")),),
    )


@dataclass
class Context:
    session: AsyncSession


@pytest.fixture
def models(tmp_path: Path) -> ModuleType:
    return import_models(todo_spec(), tmp_path, f"crud_models_{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def sessions(
    database_url: str, models: ModuleType
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with sessions_on(database_url, models) as factory:
        yield factory


def operations(model: type, *ops: str, public: tuple[str, ...] = ()) -> dict[str, Operation]:
    crud = Crud(
        name="Tasks",
        route_name="tasks",
        model=model,
        operations=tuple(CrudOperation(op, is_public=op in public) for op in ops),  # type: ignore[arg-type]
    )
    return {op.name.split(".")[1]: op for op in crud_operations(crud)}


async def call(sessions: async_sessionmaker[AsyncSession], op: Operation, args: Any) -> Any:
    """Run ``op`` as the runtime does: validate, call, commit (roll back on error)."""
    validated = pydantic.TypeAdapter(op.args_type).validate_python(args)
    async with sessions.begin() as session:
        return await op.fn(validated, Context(session))


def test_paths_kinds_auth_and_entities(models: ModuleType) -> None:
    ops = operations(models.Task, *ALL_OPS, public=("get", "getAll"))
    assert [op.path for op in ops.values()] == [
        "/crud/tasks/get",
        "/crud/tasks/get-all",
        "/crud/tasks/create",
        "/crud/tasks/update",
        "/crud/tasks/delete",
    ]
    assert [op.kind for op in ops.values()] == ["query", "query", "action", "action", "action"]
    assert [op.auth for op in ops.values()] == [False, False, True, True, True]
    assert all(op.entities == {"Task": models.Task} for op in ops.values())


def test_args_models_follow_the_columns(models: ModuleType) -> None:
    ops = operations(models.Task, *ALL_OPS)
    create = ops["create"].args_type.model_fields
    # identity id and updatedAt are server-generated; defaults and NULLs make fields optional,
    # and a scalar list left out starts empty
    assert set(create) == {
        "description",
        "note",
        "isDone",
        "priority",
        "labels",
        "projectId",
        "createdAt",
    }
    assert {name for name, f in create.items() if f.is_required()} == {"description"}
    assert list(ops["get"].args_type.model_fields) == ["id"]
    update = ops["update"].args_type.model_fields
    assert {name for name, f in update.items() if f.is_required()} == {"id"}
    assert "updatedAt" not in update
    pair_ops = operations(models.Pair, "get", "create")
    assert list(pair_ops["get"].args_type.model_fields) == ["left", "right"]
    assert pair_ops["create"].args_type.model_fields["left"].is_required()


@pytest.mark.parametrize(
    ("op", "args"),
    [
        ("create", {}),  # description and labels missing
        ("create", {"description": "x", "labels": [], "priority": "URGENT"}),
        ("create", {"description": "x", "labels": [], "unknown": 1}),
        ("create", {"description": None, "labels": []}),
        ("get", {"id": "not a number"}),
        ("getAll", {"limit": 0}),
        ("getAll", {"limit": 501}),
        ("getAll", {"offset": -1}),
        ("update", {"id": 1, "description": None}),  # NOT NULL column
    ],
)
def test_bad_args_fail_validation(models: ModuleType, op: str, args: Any) -> None:
    args_type = operations(models.Task, *ALL_OPS)[op].args_type
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(args_type).validate_python(args)


async def test_create_get_update_delete(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    ops = operations(models.Task, *ALL_OPS)
    created = await call(sessions, ops["create"], {"description": "write", "labels": ["a"]})
    assert (created.id, created.description, created.isDone) == (1, "write", False)
    assert created.priority is models.Priority.LOW
    assert created.createdAt is not None and created.updatedAt is not None

    fetched = await call(sessions, ops["get"], {"id": 1})
    assert (fetched.description, fetched.labels, fetched.note) == ("write", ["a"], None)

    await asyncio.sleep(0.01)
    updated = await call(sessions, ops["update"], {"id": 1, "isDone": True, "priority": "HIGH"})
    assert (updated.isDone, updated.priority, updated.description) == (
        True,
        models.Priority.HIGH,
        "write",  # not sent, so unchanged
    )
    assert updated.updatedAt > created.updatedAt
    cleared = await call(sessions, ops["update"], {"id": 1, "note": "n"})
    assert cleared.note == "n"
    cleared = await call(sessions, ops["update"], {"id": 1, "note": None})
    assert cleared.note is None

    deleted = await call(sessions, ops["delete"], {"id": 1})
    assert deleted.description == "write"
    for op, args in (("get", {"id": 1}), ("update", {"id": 1}), ("delete", {"id": 1})):
        with pytest.raises(HttpError) as raised:
            await call(sessions, ops[op], args)
        assert raised.value.status == 404, op


async def test_get_all_pages_in_primary_key_order(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    ops = operations(models.Task, "create", "getAll", "delete")
    for n in range(7):
        await call(sessions, ops["create"], {"description": f"t{n}", "labels": []})
    await call(sessions, ops["delete"], {"id": 3})
    first = await call(sessions, ops["getAll"], {"limit": 4})
    second = await call(sessions, ops["getAll"], {"limit": 4, "offset": 4})
    assert [t["id"] for t in first["items"]] == [1, 2, 4, 5]
    assert [t["id"] for t in second["items"]] == [6, 7]
    assert first["total"] == second["total"] == 6
    everything = await call(sessions, ops["getAll"], None)
    assert len(everything["items"]) == 6
    # Past the end no row carries the count: it is asked for on its own.
    assert await call(sessions, ops["getAll"], {"offset": 6}) == {"items": [], "total": 6}


async def test_get_all_is_one_statement_and_serialises_as_the_model(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    ops = operations(models.Task, "create", "get", "getAll")
    for n in range(3):
        await call(sessions, ops["create"], {"description": f"t{n}", "labels": ["a", "b"]})
    engine = sessions.kw["bind"].sync_engine
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = await call(sessions, ops["getAll"], {"limit": 2})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1  # the page and its total in one round trip
    assert page["total"] == 3
    # Each row is what the ORM instance would have answered, field for field.
    first = await call(sessions, ops["get"], {"id": 1})
    assert dumps(page["items"][0]) == dumps(first)
    assert list(page["items"][0]) == [a.key for a in sa.inspect(models.Task).column_attrs]


async def test_composite_primary_key(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    ops = operations(models.Pair, *ALL_OPS)
    await call(sessions, ops["create"], {"left": "a", "right": 2})
    await call(sessions, ops["create"], {"left": "a", "right": 1, "label": "one"})
    assert (await call(sessions, ops["get"], {"left": "a", "right": 1})).label == "one"
    page = await call(sessions, ops["getAll"], {})
    assert [(p["left"], p["right"]) for p in page["items"]] == [("a", 1), ("a", 2)]
    with pytest.raises(HttpError) as raised:
        await call(sessions, ops["get"], {"left": "b", "right": 1})
    assert raised.value.status == 404


async def test_constraint_violations_are_http_errors(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    projects = operations(models.Project, "create")
    tasks = operations(models.Task, "create")
    project = await call(sessions, projects["create"], {"name": "p"})
    assert uuid.UUID(project.id)
    with pytest.raises(HttpError) as raised:
        await call(sessions, projects["create"], {"name": "p"})
    assert (raised.value.status, raised.value.data) == (409, {"constraint": "uq_projects_name"})
    with pytest.raises(HttpError) as raised:
        await call(sessions, tasks["create"], {"description": "x", "labels": [], "projectId": "no"})
    assert raised.value.status == 409
    task = await call(
        sessions, tasks["create"], {"description": "x", "labels": [], "projectId": project.id}
    )
    assert task.projectId == project.id


async def test_override_fn_keeps_path_auth_and_args(models: ModuleType) -> None:
    async def mine(args: Any, context: Any) -> str:
        return "mine"

    crud = Crud(
        name="Tasks",
        route_name="tasks",
        model=models.Task,
        operations=(CrudOperation("create", override_fn=mine),),
    )
    (op,) = crud_operations(crud)
    assert op.fn is mine
    assert (op.path, op.auth, op.kind) == ("/crud/tasks/create", True, "action")
    assert "description" in op.args_type.model_fields


async def test_delete_leaves_on_delete_to_the_database(
    sessions: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    projects = operations(models.Project, "create", "delete")
    tasks = operations(models.Task, "create", "getAll")
    project = await call(sessions, projects["create"], {"name": "p"})
    for n in range(2):
        await call(
            sessions,
            tasks["create"],
            {"description": f"{n}", "labels": [], "projectId": project.id},
        )
    await call(sessions, projects["delete"], {"id": project.id})  # onDelete: Cascade
    assert (await call(sessions, tasks["getAll"], None))["total"] == 0

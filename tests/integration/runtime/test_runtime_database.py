"""create_app with a real PostgreSQL: the session of a call is committed or rolled back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime import HttpError
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.settings import SettingsError
from tests.in_process import serve

pytestmark = pytest.mark.postgres


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "runtime_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


async def add_note(args: dict[str, Any], context: Context) -> Note:
    Note_ = context.entities.Note
    note = Note_(text=args["text"])
    context.session.add(note)
    await context.session.flush()
    if args.get("fail"):
        raise HttpError(422, "rolled back")
    return note


async def count_notes(args: None, context: Context) -> int:
    result = await context.session.execute(select(func.count()).select_from(Note))
    return int(result.scalar_one())


DECL = AppDecl(
    name="T",
    title="T",
    operations=(
        Operation(
            name="addNote",
            route_name="add-note",
            kind="action",
            fn=add_note,
            entities={"Note": Note},
        ),
        Operation(name="countNotes", route_name="count-notes", kind="query", fn=count_notes),
    ),
    metadata=Base.metadata,
)


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
async def test_session_commits_and_rolls_back(database_url: str, driver: str) -> None:
    async with serve(DECL, environ={"DATABASE_URL": database_url, "DB_DRIVER": driver}) as client:
        database = client._transport.app.state.sentinel.database  # type: ignore[attr-defined]
        assert database.driver == driver
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        created = await client.post("/operations/add-note", json={"text": "hi"})
        assert created.status_code == 200
        assert created.json() == {"id": 1, "text": "hi"}
        failed = await client.post("/operations/add-note", json={"text": "no", "fail": True})
        assert failed.status_code == 422
        assert (await client.post("/operations/count-notes")).json() == 1


def test_missing_database_url_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL is not set"):
        create_app(DECL, environ={}, dotenv=None)


async def add_note_in_query(args: dict[str, Any], context: Context) -> int:
    """A query that writes (discouraged, but allowed): its unit of work starts without a
    transaction (Database.read_scope) and must still commit, or roll back."""
    count = (await context.session.execute(select(func.count()).select_from(Note))).scalar_one()
    context.session.add(Note(text=args["text"]))
    await context.session.flush()
    if args.get("fail"):
        raise HttpError(422, "rolled back")
    return int(count)


WRITING_QUERY = AppDecl(
    name="T",
    title="T",
    operations=(
        Operation(name="addInQuery", route_name="add-in-query", kind="query", fn=add_note_in_query),
        Operation(name="countNotes", route_name="count-notes", kind="query", fn=count_notes),
    ),
    metadata=Base.metadata,
)


DRIVERS = pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])


@DRIVERS
async def test_a_query_that_writes_still_commits_and_rolls_back(
    database_url: str, driver: str
) -> None:
    environ = {"DATABASE_URL": database_url, "DB_DRIVER": driver}
    async with serve(WRITING_QUERY, environ=environ) as client:
        database = client._transport.app.state.sentinel.database  # type: ignore[attr-defined]
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        assert (await client.post("/operations/add-in-query", json={"text": "a"})).json() == 0
        failed = await client.post("/operations/add-in-query", json={"text": "b", "fail": True})
        assert failed.status_code == 422
        assert (await client.post("/operations/add-in-query", json={"text": "c"})).json() == 1
        assert (await client.post("/operations/count-notes")).json() == 2


@DRIVERS
async def test_an_unreachable_database_answers_503_json(driver: str) -> None:
    # Nothing listens on port 1: asyncpg's connect raises OSError, psycopg's OperationalError.
    environ = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none", "DB_DRIVER": driver}
    async with serve(WRITING_QUERY, environ=environ) as client:
        for path in ("/operations/count-notes", "/operations/add-in-query"):
            answer = await client.post(path, json={"text": "x"} if "add" in path else None)
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "unavailable"

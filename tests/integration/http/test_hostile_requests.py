"""Hostile and careless requests on a real PostgreSQL: a 4xx JSON error each, never a 500.

Each case is fixed at one shared place (the JSON decoding of every operation, the
database error mapping of every unit of work, the error response), so the tests go
through crud operations and a hand-written operation alike.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import text

from sentinel_spec.appspec import App, AppSpec, DbType, Default, Entity, Field
from sentinel_spec.contract.declarations import (
    AppDecl,
    BodyLimits,
    Crud,
    CrudOperation,
    Operation,
)
from sentinel_spec.runtime.app import create_app
from tests.model_specs import import_models, sessions_on

pytestmark = pytest.mark.postgres


def note_spec() -> AppSpec:
    note = Entity(
        name="Note",
        table_name="notes",
        primary_key=("id",),
        fields=(
            Field("id", "String", "scalar", is_id=True, default=Default("uuid")),
            Field("title", "String", "scalar", db_type=DbType("VarChar", (20,))),
            Field("body", "String", "scalar", optional=True),
        ),
    )
    return AppSpec(app=App(name="Notes", title="Notes"), entities=(note,))


class NoteArgs(BaseModel):
    title: str
    body: str | None = None


async def add_note(args: NoteArgs, context: Any) -> str:
    note = context.entities.Note(title=args.title, body=args.body)
    context.session.add(note)
    await context.session.flush()
    return str(note.id)


async def echo(args: Any, context: Any) -> Any:
    return args


async def swallow(args: Any, context: Any) -> str:
    # Careless code: a failed flush swallowed, the session used on (PendingRollbackError).
    context.session.add(context.entities.Note(title="x" * 50))
    with contextlib.suppress(Exception):
        await context.session.flush()
    return "ok"


@pytest.fixture
async def client(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    models: ModuleType = import_models(note_spec(), tmp_path, f"hostile_{uuid.uuid4().hex[:8]}")
    async with sessions_on(database_url, models):
        pass  # creates the table
    entities = {"Note": models.Note}
    decl = AppDecl(
        name="Notes",
        title="Notes",
        operations=(
            Operation("addNote", "add-note", "action", add_note, entities=entities),
            Operation("echo", "echo", "action", echo),
            Operation("swallow", "swallow", "action", swallow, entities=entities),
        ),
        cruds=(
            Crud(
                "Notes",
                "notes",
                models.Note,
                tuple(CrudOperation(op, is_public=True) for op in ("get", "getAll", "create")),  # type: ignore[arg-type]
            ),
        ),
        metadata=models.Base.metadata,
        body_limits=BodyLimits(32 << 20, 1 << 20, 32 << 20),  # room for the huge inputs
    )
    app = create_app(decl, environ={"DATABASE_URL": database_url}, dotenv=None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    body: dict[str, Any] = response.json()["error"]
    assert body["code"] == code
    assert body["requestId"] == response.headers["x-request-id"]
    return body


async def post(client: httpx.AsyncClient, path: str, raw: bytes) -> httpx.Response:
    return await client.post(path, content=raw, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("path", ["/operations/echo", "/operations/add-note", "/crud/notes/create"])
async def test_json_nested_100000_deep_is_a_400(client: httpx.AsyncClient, path: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    error(await post(client, path, deep), 400, "bad_request")
    deep_object = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    error(await post(client, path, deep_object), 400, "bad_request")


@pytest.mark.parametrize("path", ["/operations/echo", "/operations/add-note", "/crud/notes/create"])
async def test_nul_in_a_string_is_a_400_before_postgresql(
    client: httpx.AsyncClient, path: str
) -> None:
    found = error(await post(client, path, b'{"title": "a\\u0000b"}'), 400, "bad_request")
    assert "NUL" in found["message"]


@pytest.mark.parametrize("path", ["/operations/echo", "/operations/add-note", "/crud/notes/create"])
async def test_a_lone_surrogate_is_a_400(client: httpx.AsyncClient, path: str) -> None:
    error(await post(client, path, b'{"title": "\\ud800"}'), 400, "bad_request")
    paired = await post(client, "/operations/echo", b'{"title": "\\ud83d\\ude00"}')
    assert paired.json() == {"title": "\U0001f600"}  # a pair is one character: fine


async def test_offset_past_bigint_is_a_400_and_the_largest_offset_works(
    client: httpx.AsyncClient,
) -> None:
    found = error(
        await client.post("/crud/notes/get-all", json={"offset": 2**70}), 400, "validation_error"
    )
    assert found["details"][0]["field"] == "offset"
    last = await client.post("/crud/notes/get-all", json={"offset": 2**63 - 1})
    assert last.status_code == 200 and last.json()["items"] == []


async def test_a_600kb_primary_key_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/crud/notes/create", json={"id": "k" * 600_000, "title": "t"})
    found = error(response, 400, "bad_request")
    assert "too large" in found["message"]
    assert len(response.content) < 2000  # the key is not echoed


async def test_a_9mb_id_gets_a_small_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/crud/notes/get", json={"id": "x" * 9_000_000})
    error(response, 404, "not_found")
    assert len(response.content) < 2000


async def test_a_value_longer_than_its_column_is_a_400(client: httpx.AsyncClient) -> None:
    found = error(
        await client.post("/operations/add-note", json={"title": "t" * 50}), 400, "bad_request"
    )
    assert found["message"] == "A value does not fit its column"


async def test_a_swallowed_flush_error_is_still_the_clients_400(
    client: httpx.AsyncClient,
) -> None:
    # The later commit raises PendingRollbackError; what it means is the flush's error.
    error(await client.post("/operations/swallow"), 400, "bad_request")


async def test_malformed_json_and_booleans_for_integers(client: httpx.AsyncClient) -> None:
    error(await post(client, "/operations/add-note", b'{"title": '), 400, "bad_request")
    found = error(
        await client.post("/crud/notes/get-all", json={"limit": True}), 400, "validation_error"
    )
    assert found["details"][0]["field"] == "limit"


async def test_long_inputs_are_not_echoed_in_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/operations/add-note",
        content=b"x" * 1_000_000,
        headers={"Content-Type": "text/" + "y" * 5000},
    )
    error(response, 415, "unsupported_media_type")
    assert len(response.content) < 2000
    many = {f"k{i}" * 2000: i for i in range(500)}
    response = await client.post("/crud/notes/create", json={"title": "t", **many})
    found = error(response, 400, "validation_error")
    assert len(found["details"]) <= 50
    assert all(len(d["field"]) < 300 for d in found["details"])


async def test_a_client_that_disconnects_mid_body_is_not_an_error(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    sent: list[dict[str, Any]] = []
    messages = [
        {"type": "http.request", "body": b'{"title": "par', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/operations/add-note",
        "raw_path": b"/operations/add-note",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
    }
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    access = [r for r in caplog.records if r.name == "sentinel.access"]
    assert getattr(access[-1], "http.response.status_code") == 499


async def test_the_database_really_got_nothing_bad(
    client: httpx.AsyncClient, database_url: str
) -> None:
    await client.post("/operations/add-note", json={"title": "fine"})
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    async with engine.connect() as conn:
        titles = [row[0] for row in await conn.execute(text("SELECT title FROM notes"))]
    await engine.dispose()
    assert titles == ["fine"]
    assert json.dumps(titles)

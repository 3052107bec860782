"""The golden sample app, built and served through its *generated* server module.

Each test imports ``generated.server`` of a freshly built project (the project folder
first on ``sys.path``, ``generated``/``src`` purged from ``sys.modules`` around it) and
talks to ``create_app()`` over ``httpx.ASGITransport``: the RUNTIME.md contract,
checked end to end through generated code rather than hand-written declarations.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import sentinel_spec
from tests.golden_files import GOLDEN

SAMPLE = GOLDEN / "generated" / "sample"
# Never connected to by the DB-free tests: the engine is lazy, the URL only has to parse.
UNUSED_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:1/unused"
# The sample declares app.auth, which needs its key outside development.
TEST_AUTH_SECRET_KEY = "sample-app-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample_project")
    shutil.copy(SAMPLE / "app.sq", root / "app.sq")
    shutil.copytree(SAMPLE / "src", root / "src")
    sentinel_spec.build(root / "app.sq")
    return root


def _purge() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("generated", "src"):
            del sys.modules[name]


@pytest.fixture
def server_module(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """``generated.server`` of the built sample, imported fresh for this test."""
    _purge()
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.chdir(project)  # the runtime reads .env from the working directory
    import generated.server

    try:
        yield generated.server
    finally:
        _purge()


@pytest.fixture
async def client(
    server_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setenv("DATABASE_URL", UNUSED_DATABASE_URL)
    monkeypatch.setenv("AUTH_SECRET_KEY", TEST_AUTH_SECRET_KEY)
    app = server_module.create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert error["requestId"] == response.headers["x-request-id"]
    return error


async def test_query_over_post_and_get(client: httpx.AsyncClient) -> None:
    posted = await client.post("/operations/get-greeting", json={"name": "Ada"})
    assert posted.status_code == 200
    assert posted.json() == {"greeting": "Hello, Ada."}
    args = json.dumps({"name": "Ada", "excited": True})
    got = await client.get("/operations/get-greeting", params={"args": args})
    assert got.status_code == 200
    assert got.json() == {"greeting": "Hello, Ada!"}


async def test_action_over_get_is_405(client: httpx.AsyncClient) -> None:
    response = await client.get("/operations/crash")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


async def test_invalid_args_are_400_with_details(client: httpx.AsyncClient) -> None:
    response = await client.post("/operations/get-greeting", json={"times": 9})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert "name" in json.dumps(error["details"])
    assert "times" in json.dumps(error["details"])


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/operations/get-greeting",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


async def test_http_error_from_user_code(client: httpx.AsyncClient) -> None:
    response = await client.post("/operations/fail-with-http-error")
    assert response.status_code == 418
    error = error_of(response)
    assert error["message"] == "I am a teapot"
    assert error["details"] == {"hint": "try coffee"}


async def test_crash_is_500_with_request_id_and_no_detail(client: httpx.AsyncClient) -> None:
    response = await client.post("/operations/crash")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert error["requestId"]
    assert "secret internal detail" not in response.text


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


async def test_api_with_server_middleware(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/ping")
    assert response.status_code == 200
    assert response.json() == {"pong": True}
    assert response.headers["x-sample"] == "server"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
async def test_all_method_api_with_path_param(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/api/items/42")
    assert response.status_code == 200
    assert response.json() == {"method": method, "itemId": "42"}
    assert response.headers["x-echo"] == "api"


async def test_api_namespace_middleware(client: httpx.AsyncClient) -> None:
    inside = await client.get("/api/admin/stats")
    assert inside.status_code == 200
    assert inside.headers["x-admin"] == "namespace"
    outside = await client.get("/api/ping")
    assert "x-admin" not in outside.headers


async def test_page_renders_template(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Welcome to Tracker</h1>" in response.text


async def test_auth_required_page_redirects_to_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/dashboard")
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/login"
    login = await client.get("/login")
    assert "Log in" in login.text


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    greeting = document["paths"]["/operations/get-greeting"]
    body = greeting["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/GreetingArgs"}
    assert "/api/items/{itemId}" in document["paths"]


async def test_setup_fn_ran(client: httpx.AsyncClient) -> None:
    from src.server.setup import SETUP_CALLS

    assert len(SETUP_CALLS) == 1


def test_importing_the_server_module_does_not_load_the_runtime_server(
    server_module: ModuleType,
) -> None:
    # generated/server.py must stay cheap: the runtime's server is imported in create_app.
    assert server_module.APP.name == "Tracker"
    assert server_module.APP.templates_dir == str(
        Path(server_module.__file__).resolve().parent.parent / "src" / "client" / "templates"
    )


@pytest.mark.postgres
async def test_operations_and_crud_use_the_database(
    server_module: ModuleType, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(server_module.APP.metadata.create_all)
    await engine.dispose()

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("AUTH_SECRET_KEY", TEST_AUTH_SECRET_KEY)
    app = server_module.create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            created = await c.post("/operations/create-task", json={"title": "Write tests"})
            assert created.status_code == 200, created.text
            assert created.json()["title"] == "Write tests"
            listed = await c.post("/crud/tasks/get-all")
            assert listed.status_code == 200, listed.text
            assert [t["title"] for t in listed.json()["items"]] == ["Write tests"]
            assert listed.json()["total"] == 1
            private = await c.post("/crud/tasks/get", json={"id": created.json()["id"]})
            assert private.status_code == 401


async def test_an_unreachable_database_does_not_hold_start_up(
    server_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job queue's schema check and realtime's first LISTEN would each wait out their
    connect timeouts (10 s and 15 s) on a database that refuses connections; the server
    starts at once instead and answers 503s until the database is back."""
    monkeypatch.setenv("DATABASE_URL", UNUSED_DATABASE_URL)
    monkeypatch.setenv("AUTH_SECRET_KEY", TEST_AUTH_SECRET_KEY)
    app = server_module.create_app()
    began = time.monotonic()
    async with app.router.lifespan_context(app):
        started = time.monotonic() - began
    assert started < 5, f"start-up took {started:.1f} s"
    assert time.monotonic() - began < 8  # and shutdown does not wait on it either

"""The dev-errors middleware, driven through a real Starlette app over httpx's ASGI transport."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sentinel_spec.devserver.diagnostics import Problem, write_problems
from sentinel_spec.devserver.overlay import DevErrorsMiddleware, ProblemsApp


async def page(request: Request) -> Response:
    return HTMLResponse("<html><body><p>hello</p></body></html>")


async def data(request: Request) -> Response:
    return JSONResponse({"ok": True})


def client(project: Path) -> httpx.AsyncClient:
    app = DevErrorsMiddleware(Starlette(routes=[Route("/", page), Route("/data", data)]), project)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


PROBLEM = Problem(
    kind="spec",
    message="unknown entity `Nte`",
    file="app.sq",
    line=3,
    column=14,
    hint="did you mean `Note`?",
    rendered="app.sq:3:14: error: unknown entity `Nte`",
)


async def test_no_problems_leaves_responses_alone(tmp_path: Path) -> None:
    async with client(tmp_path) as c:
        html = await c.get("/")
        assert html.text == "<html><body><p>hello</p></body></html>"
        assert "x-sentinel-spec-errors" not in html.headers
        assert (await c.get("/__sentinel/errors")).json() == {"errors": []}


async def test_problems_show_in_header_banner_and_endpoint(tmp_path: Path) -> None:
    write_problems(tmp_path, [PROBLEM])
    async with client(tmp_path) as c:
        json_response = await c.get("/data")
        assert json_response.json() == {"ok": True}
        assert json_response.headers["x-sentinel-spec-errors"] == "1"

        html = await c.get("/")
        assert html.headers["x-sentinel-spec-errors"] == "1"
        assert "sentinel-dev-errors" in html.text
        assert "unknown entity `Nte`" in html.text
        assert html.text.endswith("</body></html>")
        assert int(html.headers["content-length"]) == len(html.content)

        listed = (await c.get("/__sentinel/errors")).json()["errors"]
        assert listed[0]["line"] == 3 and listed[0]["hint"] == "did you mean `Note`?"


async def test_clearing_problems_is_seen_by_a_running_app(tmp_path: Path) -> None:
    write_problems(tmp_path, [PROBLEM])
    async with client(tmp_path) as c:
        assert (await c.get("/data")).headers["x-sentinel-spec-errors"] == "1"
        write_problems(tmp_path, [])
        assert "x-sentinel-spec-errors" not in (await c.get("/data")).headers
        assert (await c.get("/__sentinel/errors")).json() == {"errors": []}


def problems_client(project: Path) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=ProblemsApp(project))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_the_stand_in_answers_503_with_the_problems(tmp_path: Path) -> None:
    write_problems(tmp_path, [PROBLEM])
    async with problems_client(tmp_path) as c:
        api = await c.post("/operations/get-notes", json={})
        assert api.status_code == 503 and api.headers["x-sentinel-spec-errors"] == "1"
        error = api.json()["error"]
        assert error["code"] == "unavailable"
        assert error["requestId"] == api.headers["x-request-id"]
        assert error["details"][0]["message"] == "unknown entity `Nte`"

        page = await c.get("/", headers={"accept": "text/html,application/xhtml+xml"})
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "sentinel-dev-errors" in page.text and "unknown entity `Nte`" in page.text

        listed = await c.get("/__sentinel/errors")
        assert listed.status_code == 200 and listed.json()["errors"][0]["line"] == 3


async def test_the_stand_in_without_problems_says_the_app_is_not_running(tmp_path: Path) -> None:
    async with problems_client(tmp_path) as c:
        error = (await c.get("/api/health")).json()["error"]
        assert error["code"] == "unavailable" and "not running" in error["message"]
        assert error["details"] == []

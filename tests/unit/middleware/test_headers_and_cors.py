"""Security headers everywhere (404, 405, 500, 413, 429, pages, a failing middleware) and as
the spec configures them; CORS per environment, credentials, preflight caching."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sentinel_spec.contract.declarations import (
    AppDecl,
    BodyLimits,
    Env,
    Operation,
    Page,
    RateLimit,
)
from sentinel_spec.runtime.middleware.security_headers import SECURITY_HEADERS
from tests.in_process import error_of, serve


async def ok(args: Any, context: Any) -> str:
    return "ok"


async def boom(args: Any, context: Any) -> None:
    raise RuntimeError("boom")


async def home(request: Any, context: Any) -> HTMLResponse:
    return HTMLResponse("<h1>home</h1>")


class Broken:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/operations/ok"
            and scope["method"] == "PUT"
        ):
            raise RuntimeError("a user middleware failed")
        await self.app(scope, receive, send)


def with_broken(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    return {**stack, "broken": Middleware(Broken)}


DECL = AppDecl(
    name="H",
    title="H",
    operations=(
        Operation("ok", "ok", "query", ok, rate_limit=RateLimit(2, 60)),
        Operation("boom", "boom", "action", boom),
    ),
    pages=(Page("Home", "/", home),),
    body_limits=BodyLimits(10, 10, 10),
)


def assert_default_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name


async def test_every_kind_of_answer_carries_the_security_headers() -> None:
    decl = AppDecl(**{**DECL.__dict__, "middleware_config_fn": with_broken})
    async with serve(decl) as client:
        answers = {
            "page": await client.get("/"),
            "404": await client.get("/nowhere"),
            "405": await client.delete("/operations/ok"),
            "500": await client.post("/operations/boom"),
            "413": await client.post("/operations/boom", content=b"x" * 100),
            "ok": await client.post("/operations/ok"),
        }
        await client.post("/operations/ok")
        answers["429"] = await client.post("/operations/ok")
        answers["broken middleware"] = await client.put("/operations/ok")
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses == {
        "page": 200,
        "404": 404,
        "405": 405,
        "500": 500,
        "413": 413,
        "ok": 200,
        "429": 429,
        "broken middleware": 500,
    }
    for name, response in answers.items():
        assert_default_headers(response)
        assert response.headers["x-request-id"], name
        if response.status_code >= 400:
            error_of(response)


async def test_the_spec_replaces_or_drops_headers() -> None:
    csp = "default-src 'none'; frame-ancestors 'none'"
    decl = AppDecl(
        **{
            **DECL.__dict__,
            "security_headers": {
                "Content-Security-Policy": csp,
                "Strict-Transport-Security": "max-age=600",
                "Permissions-Policy": None,
            },
        }
    )
    async with serve(decl) as client:
        for response in (await client.get("/"), await client.get("/nowhere")):
            assert response.headers["content-security-policy"] == csp
            assert response.headers["strict-transport-security"] == "max-age=600"
            assert "permissions-policy" not in response.headers
            assert response.headers["x-frame-options"] == "DENY"


CORS = AppDecl(
    name="C",
    title="C",
    operations=(Operation("ok", "ok", "query", ok),),
    cors_origins_by_env={
        "production": Env("CORS_ORIGINS", "https://app.example", required=False),
        "development": ("http://localhost:3000",),
    },
    cors_max_age=3600,
)


@pytest.mark.parametrize(
    ("environment", "allowed", "refused"),
    [
        ("production", "https://app.example", "http://localhost:3000"),
        ("development", "http://localhost:3000", "https://app.example"),
    ],
)
async def test_cors_origins_follow_the_environment(
    environment: str, allowed: str, refused: str
) -> None:
    async with serve(CORS, environ={"SENTINEL_ENV": environment}) as client:
        yes = await client.post("/operations/ok", headers={"Origin": allowed})
        assert yes.status_code == 200
        assert yes.headers["access-control-allow-origin"] == allowed
        assert yes.headers["access-control-allow-credentials"] == "true"
        assert "origin" in yes.headers["vary"].lower()
        no = await client.post("/operations/ok", headers={"Origin": refused})
        assert no.status_code == 403
        assert error_of(no)["code"] == "forbidden"
        assert_default_headers(no)
        preflight = await client.options(
            "/operations/ok",
            headers={
                "Origin": allowed,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, authorization",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-max-age"] == "3600"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["access-control-allow-headers"] == "content-type, authorization"
        refused_preflight = await client.options(
            "/operations/ok",
            headers={"Origin": refused, "Access-Control-Request-Method": "POST"},
        )
        assert refused_preflight.status_code == 403


async def test_production_origins_come_from_the_environment() -> None:
    environ = {"SENTINEL_ENV": "production", "CORS_ORIGINS": "https://a.example, https://b.example"}
    async with serve(CORS, environ=environ) as client:
        for origin in ("https://a.example", "https://b.example"):
            assert (
                await client.post("/operations/ok", headers={"Origin": origin})
            ).status_code == 200
        assert (
            await client.post("/operations/ok", headers={"Origin": "https://app.example"})
        ).status_code == 403


async def test_an_environment_without_a_list_allows_only_same_origin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with serve(CORS, environ={"SENTINEL_ENV": "staging"}) as client:
        cross = await client.post("/operations/ok", headers={"Origin": "https://app.example"})
        same = await client.post("/operations/ok", headers={"Origin": "http://testserver"})
    assert cross.status_code == 403 and same.status_code == 200
    assert "no origins for environment 'staging'" in caplog.text


async def test_credentials_can_be_turned_off() -> None:
    decl = AppDecl(**{**CORS.__dict__, "cors_credentials": False})
    async with serve(decl, environ={"SENTINEL_ENV": "development"}) as client:
        response = await client.post("/operations/ok", headers={"Origin": "http://localhost:3000"})
    assert response.status_code == 200
    assert "access-control-allow-credentials" not in response.headers

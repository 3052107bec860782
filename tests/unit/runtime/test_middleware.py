"""Always-on HTTP behaviour: request ids, security headers, CORS, streamed body limits,
and middleware_config_fn for the server, a namespace and one api."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.contract.declarations import (
    Api,
    ApiNamespace,
    AppDecl,
    BodyLimits,
    Env,
    Operation,
)
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.middleware.security_headers import SECURITY_HEADERS
from tests.in_process import error_of, serve


async def echo(args: Any, context: Context) -> Any:
    return {"args": args, "request_id": context.request_id}


async def body_size(request: Request, context: Context) -> dict[str, int]:
    return {"size": len(await request.body())}


ECHO = Operation(name="doEcho", route_name="do-echo", kind="action", fn=echo)
LIMITS = BodyLimits(json_bytes=100, form_bytes=50, raw_bytes=200)
DECL = AppDecl(
    name="T",
    title="T",
    operations=(ECHO,),
    apis=(Api(name="upload", method="POST", path="/api/upload", fn=body_size),),
    cors_origins=Env("CORS_ORIGINS", "http://localhost:3000", required=False),
    body_limits=LIMITS,
)


async def test_request_id_generated_accepted_and_sanitised() -> None:
    async with serve(DECL) as client:
        generated = await client.post("/operations/do-echo")
        rid = generated.headers["x-request-id"]
        assert len(rid) == 32 and generated.json()["request_id"] == rid
        given = await client.post("/operations/do-echo", headers={"x-request-id": "abc-123"})
        assert given.headers["x-request-id"] == "abc-123"
        assert given.json()["request_id"] == "abc-123"
        hostile = await client.post("/operations/do-echo", headers={"x-request-id": 'a b"<x>'})
        assert hostile.headers["x-request-id"] != 'a b"<x>'


async def test_security_headers_on_success_and_error() -> None:
    async with serve(DECL) as client:
        for response in (await client.post("/operations/do-echo"), await client.get("/missing")):
            for name, value in SECURITY_HEADERS.items():
                assert response.headers[name] == value
    assert SECURITY_HEADERS["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in SECURITY_HEADERS["Content-Security-Policy"]


async def test_cors_allowed_origin_gets_headers() -> None:
    async with serve(DECL) as client:
        response = await client.post(
            "/operations/do-echo", headers={"origin": "http://localhost:3000"}
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert "Origin" in response.headers["vary"]


async def test_cors_origins_come_from_the_environment() -> None:
    environ = {"CORS_ORIGINS": "https://app.example.com, https://admin.example.com"}
    async with serve(DECL, environ=environ) as client:
        ok = await client.post(
            "/operations/do-echo", headers={"origin": "https://admin.example.com"}
        )
        assert ok.status_code == 200
        refused = await client.post(
            "/operations/do-echo", headers={"origin": "http://localhost:3000"}
        )
        assert refused.status_code == 403


async def test_cors_disallowed_origin_is_403_json() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/do-echo", headers={"origin": "https://evil.test"})
        assert response.status_code == 403
        error = error_of(response)
        assert error["code"] == "forbidden" and "evil.test" in error["message"]
        assert response.headers["x-frame-options"] == "DENY"


async def test_cors_same_origin_passes() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/do-echo", headers={"origin": "http://testserver"})
        assert response.status_code == 200


async def test_cors_preflight() -> None:
    async with serve(DECL) as client:
        response = await client.options(
            "/operations/do-echo",
            headers={
                "origin": "http://localhost:3000",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, authorization",
            },
        )
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert "POST" in response.headers["access-control-allow-methods"]
        assert response.headers["access-control-allow-headers"] == "content-type, authorization"
        denied = await client.options(
            "/operations/do-echo",
            headers={"origin": "https://evil.test", "access-control-request-method": "POST"},
        )
        assert denied.status_code == 403


async def test_body_over_content_length_is_413_by_content_type() -> None:
    async with serve(DECL) as client:
        big_json = b'"' + b"x" * 120 + b'"'
        response = await client.post(
            "/operations/do-echo", content=big_json, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert error_of(response)["code"] == "payload_too_large"
        # The same size is fine as a raw upload (raw limit 200), not as a form (50).
        octets = {"content-type": "application/octet-stream"}
        raw = await client.post("/api/upload", content=b"x" * 120, headers=octets)
        assert raw.json() == {"size": 120}
        # No Content-Type: operations read such a body as JSON, so it gets JSON's limit.
        untyped = await client.post("/api/upload", content=b"x" * 120)
        assert untyped.status_code == 413
        form = await client.post(
            "/api/upload",
            content=b"a=" + b"x" * 60,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 413


async def test_chunked_body_is_cut_off_while_streaming() -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(100):
            sent.append(i)
            yield b"y" * 50

    async with serve(DECL) as client:
        response = await client.post(
            "/api/upload", content=chunks(), headers={"content-type": "application/octet-stream"}
        )
        assert response.status_code == 413
        assert error_of(response)["details"] == {"limit": 200}
        op_response = await client.post(
            "/operations/do-echo", content=chunks(), headers={"content-type": "application/json"}
        )
        assert op_response.status_code == 413
    assert len(sent) < 20  # stopped long before the 100 chunks were read


class StampMiddleware:
    """Adds ``X-Stamp`` so tests can see which stack served a request."""

    def __init__(self, app: ASGIApp, stamp: str) -> None:
        self.app = app
        self.stamp = stamp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-stamp", self.stamp.encode()))
            await send(message)

        await self.app(scope, receive, stamped)


def server_config(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack["stamp"] = Middleware(StampMiddleware, stamp="server")
    return stack


def webhook_config(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    # A webhook takes big bodies from anywhere: drop the limit and CORS, restamp.
    del stack["bodyLimit"], stack["cors"]
    stack["stamp"] = Middleware(StampMiddleware, stamp="webhook")
    return stack


def admin_config(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack["stamp"] = Middleware(StampMiddleware, stamp="admin")
    return stack


CONFIGURED = AppDecl(
    name="T",
    title="T",
    operations=(ECHO,),
    apis=(
        Api(
            name="hook",
            method="POST",
            path="/hooks/{source}",
            fn=body_size,
            middleware_config_fn=webhook_config,
        ),
        Api(name="plain", method="POST", path="/api/plain", fn=body_size),
        Api(name="users", method="GET", path="/api/admin/users", fn=body_size),
    ),
    api_namespaces=(
        ApiNamespace(name="admin", path="/api/admin", middleware_config_fn=admin_config),
    ),
    middleware_config_fn=server_config,
    body_limits=LIMITS,
)


async def test_middleware_config_fn_for_server_api_and_namespace() -> None:
    async with serve(CONFIGURED) as client:
        assert (await client.post("/operations/do-echo")).headers["x-stamp"] == "server"
        assert (await client.get("/missing")).headers["x-stamp"] == "server"
        plain = await client.post("/api/plain", content=b"z" * 500)
        assert plain.status_code == 413  # the server limit still applies

        hook = await client.post(
            "/hooks/stripe", content=b"z" * 500, headers={"origin": "https://stripe.test"}
        )
        assert hook.status_code == 200 and hook.json() == {"size": 500}
        assert hook.headers["x-stamp"] == "webhook"
        assert hook.headers["x-request-id"]  # the rest of the server stack is kept

        admin = await client.get("/api/admin/users")
        assert admin.headers["x-stamp"] == "admin"
        assert (await client.get("/api/admin/nothing")).headers["x-stamp"] == "admin"


class ExplodingMiddleware:
    """A user's middleware with a bug in it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("bug in a middleware")


async def test_an_error_in_a_middleware_is_json_with_id_and_headers() -> None:
    def add_buggy(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return {**stack, "buggy": Middleware(ExplodingMiddleware)}

    async with serve(replace(DECL, middleware_config_fn=add_buggy)) as client:
        response = await client.post("/operations/do-echo")
    assert response.status_code == 500
    assert error_of(response)["requestId"] == response.headers["x-request-id"]
    for name in SECURITY_HEADERS:
        assert name.lower() in response.headers


async def test_a_wildcard_origin_never_gets_credentials() -> None:
    decl = replace(DECL, cors_origins=("*",))
    async with serve(decl) as client:
        response = await client.post("/operations/do-echo", headers={"origin": "https://any.test"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers

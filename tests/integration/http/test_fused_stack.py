"""The fused default stack (``middleware/fused.py``) answers exactly as the composed one.

Two apps from one declaration: the default stack (operations fused) and the same stack
with one entry replaced by an equal copy in ``middlewareConfigFn`` (which keeps every
request on the composed layers). The same requests go to both, one after the other; the
status, every header, the body and the access-log record must be the same.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from sentinel_spec.contract.declarations import AppDecl, BodyLimits, Operation, RateLimit
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.middleware.fused import FusedOperations


async def echo(args: Any, context: Context) -> Any:
    return {"args": args, "request_id": context.request_id}


async def fail(args: Any, context: Context) -> Any:
    raise RuntimeError("boom")


async def refuse(args: Any, context: Context) -> Any:
    raise HttpError(409, "taken", {"field": "name"}, headers={"X-Frame-Options": "SAMEORIGIN"})


async def count(args: int, context: Context) -> int:
    return args + 1


OPERATIONS = (
    Operation(name="doEcho", route_name="do-echo", kind="action", fn=echo),
    Operation(name="doFail", route_name="do-fail", kind="action", fn=fail),
    Operation(name="doRefuse", route_name="do-refuse", kind="action", fn=refuse),
    Operation(name="getNext", route_name="get-next", kind="query", fn=count),
)


def decl(**changes: Any) -> AppDecl:
    fields: dict[str, Any] = {
        "name": "Fused",
        "title": "Fused",
        "operations": OPERATIONS,
        "cors_origins": ("http://client.example",),
        "body_limits": BodyLimits(json_bytes=64, form_bytes=64, raw_bytes=64),
        "default_rate_limit": RateLimit(1000, 60),
        "security_headers": {"X-XSS-Protection": None, "X-Frame-Options": "DENY"},
    }
    fields.update(changes)
    return AppDecl(**fields)


def copy_of_cors(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    """The same stack, with ``cors`` an equal copy: a customised stack, so composed."""
    stack = dict(stack)
    entry = stack["cors"]
    stack["cors"] = Middleware(entry.cls, *entry.args, **entry.kwargs)
    return stack


def app_for(declaration: AppDecl) -> Starlette:
    return create_app(declaration, environ={}, dotenv=None)


@asynccontextmanager
async def client_for(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@asynccontextmanager
async def pair(**changes: Any) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    fused_app = app_for(decl(**changes))
    composed_app = app_for(decl(middleware_config_fn=copy_of_cors, **changes))
    async with client_for(fused_app) as fused, client_for(composed_app) as composed:
        await fused.post("/operations/do-echo")  # builds the stacks
        await composed.post("/operations/do-echo")
        assert isinstance(fused_app.middleware_stack, FusedOperations)
        assert not isinstance(composed_app.middleware_stack, FusedOperations)
        yield fused, composed


def comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    # The reset time of a window may tick between the two calls; nothing else may differ.
    headers = [
        (name, re.sub(r";t=\d+", ";t=_", value) if name == "ratelimit" else value)
        for name, value in response.headers.multi_items()
    ]
    return response.status_code, headers, response.content


ACCESS_FIELDS = (
    "event.dataset",
    "http.request.method",
    "url.path",
    "http.route",
    "http.response.status_code",
    "client.ip",
    "user_agent.original",
)


def access_records(caplog: pytest.LogCaptureFixture) -> Iterator[tuple[Any, ...]]:
    for record in caplog.records:
        if record.name == "sentinel.access":
            yield (record.getMessage(), *(getattr(record, f) for f in ACCESS_FIELDS))


async def same_answer(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    **options: Any,
) -> httpx.Response:
    answers = []
    lines = []
    for client in clients:
        caplog.clear()
        answers.append(await client.request(method, path, **options))
        lines.append(list(access_records(caplog)))
    assert comparable(answers[0]) == comparable(answers[1])
    assert lines[0] == lines[1] and len(lines[0]) == 1
    return answers[0]


class Chunks:
    """A request body streamed in chunks (sent chunked), replayable for each client."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


ID = {"x-request-id": "fixed-id-1"}
ORIGIN = {"origin": "http://client.example"}
JSON = {"content-type": "application/json"}


async def test_the_fused_and_composed_stacks_answer_alike(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sentinel.access")
    async with pair() as clients:
        ok = await same_answer(clients, caplog, "POST", "/operations/do-echo", headers=ID)
        assert ok.status_code == 200 and ok.headers["x-request-id"] == "fixed-id-1"
        assert ok.headers["ratelimit-policy"] and ok.headers["content-security-policy"]
        assert "x-xss-protection" not in ok.headers

        echo, nxt = "/operations/do-echo", "/operations/get-next"
        evil = {"origin": "http://evil"}
        form = {"content-type": "application/x-www-form-urlencoded"}
        preflight = {"access-control-request-method": "POST"}
        cases: list[tuple[str, str, dict[str, Any], int]] = [
            ("POST", echo, {"content": b'{"a": 1}', "headers": {**ID, **JSON}}, 200),
            ("POST", echo, {"headers": {**ID, **ORIGIN}}, 200),
            ("POST", echo, {"headers": {**ID, **evil}}, 403),
            ("POST", echo, {"headers": {**ID, "origin": "http://testserver"}}, 200),
            ("GET", nxt + "?args=4", {"headers": ID}, 200),
            ("GET", nxt + "?args=x", {"headers": ID}, 400),
            ("GET", nxt + "?other=1", {"headers": ID}, 400),
            ("HEAD", nxt + "?args=4", {"headers": ID}, 200),
            ("POST", nxt, {"content": b'"x"', "headers": {**ID, **JSON}}, 400),
            ("POST", nxt, {"content": b"7", "headers": ID}, 200),
            ("POST", echo, {"content": b"x", "headers": {**ID, **JSON}}, 400),
            ("POST", echo, {"content": b"a=1", "headers": {**ID, **form}}, 415),
            ("POST", "/operations/do-fail", {"headers": {**ID, **ORIGIN}}, 500),
            ("POST", "/operations/do-refuse", {"headers": {**ID, **ORIGIN}}, 409),
            ("POST", "/operations/nope", {"headers": {**ID, **ORIGIN}}, 404),
            ("GET", echo, {"headers": ID}, 405),
            ("POST", echo, {"content": b"1" * 100, "headers": {**ID, **JSON}}, 413),
            ("POST", echo, {"content": [b"[", b"1," * 40, b"1]"], "headers": ID}, 413),
            ("POST", echo, {"headers": {**ID, "x-forwarded-for": "203.0.113.9"}}, 200),
            ("POST", echo, {"headers": {**ID, "user-agent": "tester/1"}}, 200),
            ("OPTIONS", echo, {"headers": {**ID, **ORIGIN, **preflight}}, 204),
            ("OPTIONS", echo, {"headers": {**ID, **evil, **preflight}}, 403),
            ("OPTIONS", echo, {"headers": ID}, 405),
        ]
        for method, path, options, status in cases:
            if isinstance(options.get("content"), list):  # streamed: no Content-Length
                options = {**options, "content": Chunks(options["content"])}
            answer = await same_answer(clients, caplog, method, path, **options)
            assert answer.status_code == status, (method, path, answer.text)


async def test_the_rate_limits_429_is_the_same(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sentinel.access")
    async with pair(default_rate_limit=RateLimit(3, 60)) as clients:  # one call each so far
        for status in (200, 200, 429, 429):
            answer = await same_answer(
                clients, caplog, "POST", "/operations/do-echo", headers={**ID, **ORIGIN}
            )
            assert answer.status_code == status
        assert answer.headers["retry-after"]


async def test_an_error_outside_the_operation_is_the_same(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing rate limiter: the request context's JSON 500 with the fallback headers."""
    from sentinel_spec.runtime.ratelimit.limiter import LimitsRateLimiter

    def broken(self: Any, rule: Any, key: str, cost: int = 1) -> Any:
        raise RuntimeError("limiter broke")

    caplog.set_level(logging.INFO, logger="sentinel.access")
    async with pair() as clients:
        monkeypatch.setattr(LimitsRateLimiter, "hit_in_process", broken)
        answer = await same_answer(
            clients, caplog, "POST", "/operations/do-echo", headers={**ID, **ORIGIN}
        )
        assert answer.status_code == 500
        assert answer.headers["x-frame-options"] == "DENY"
        assert "access-control-allow-origin" not in answer.headers


async def test_without_a_server_wide_limit_too(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sentinel.access")
    async with pair(default_rate_limit=None) as clients:
        answer = await same_answer(
            clients, caplog, "POST", "/operations/do-echo", headers={**ID, **ORIGIN}
        )
        assert answer.status_code == 200 and "ratelimit" not in answer.headers


class Tag:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def stack_of(app: Starlette) -> Any:
    return app.build_middleware_stack()


def test_a_customised_stack_is_never_fused() -> None:
    def dropped(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return {name: m for name, m in stack.items() if name != "rateLimit"}

    def added(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return {**stack, "tag": Middleware(Tag)}

    def reordered(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return dict(reversed(list(stack.items())))

    def unchanged(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return stack

    assert isinstance(stack_of(app_for(decl())), FusedOperations)
    assert isinstance(stack_of(app_for(decl(middleware_config_fn=unchanged))), FusedOperations)
    for fn in (dropped, added, reordered, copy_of_cors):
        assert not isinstance(stack_of(app_for(decl(middleware_config_fn=fn))), FusedOperations)
    later = app_for(decl())
    later.add_middleware(Tag)  # added after create_app: the composed stack, with it
    assert not isinstance(stack_of(later), FusedOperations)


def test_paths_a_scoped_stack_or_an_earlier_route_takes_are_not_fused() -> None:
    from starlette.responses import Response
    from starlette.routing import Route, Router

    from sentinel_spec.contract.declarations import ApiNamespace
    from sentinel_spec.runtime.middleware.fused import fusable_routes

    def unchanged(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return stack

    covered = app_for(decl(api_namespaces=(ApiNamespace("ops", "/operations", unchanged),)))
    assert not isinstance(stack_of(covered), FusedOperations)  # every operation is covered

    async def anything(request: Any) -> Response:
        return Response(b"")

    app = app_for(decl())
    operations = list(app.router.routes)
    assert set(fusable_routes(app.router, ())) >= {"/operations/do-echo"}
    catch_all = Route("/operations/{name}", anything, methods=["POST"])
    first = Router(routes=[catch_all, *operations])
    assert "/operations/do-echo" not in fusable_routes(first, ())
    # GET still reaches the query's own route (the catch-all takes POST only).
    assert fusable_routes(first, ())["/operations/get-next"][1] == {"GET", "HEAD"}


# ------------------------------------------------------------ through the guarded protocol


class RawTransport:
    """What the protocol needs of an asyncio transport; the bytes written are kept."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5555), "sockname": ("127.0.0.1", 8000)}.get(name)

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None: ...


async def raw_exchange(app: Starlette, request: bytes) -> tuple[bytes, int, bool]:
    """The bytes the guarded protocol writes for one raw request (as `sentinel start`
    serves it), how many writes, and whether it closed the connection."""
    import asyncio

    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from sentinel_spec.runtime.serving.protocol import GuardedHttpToolsProtocol

    config = Config(
        app=app,
        http=GuardedHttpToolsProtocol,
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
    )
    config.load()
    loop = asyncio.get_running_loop()
    protocol = GuardedHttpToolsProtocol(
        config=config, server_state=ServerState(), app_state={}, _loop=loop
    )
    transport = RawTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    protocol.data_received(request)
    for _ in range(200):
        cycle = protocol.cycle
        if cycle is not None and cycle.response_complete:
            break
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    protocol.connection_lost(None)
    return b"".join(transport.writes), len(transport.writes), transport.closing


def raw_request(method: str, target: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: testserver"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


RAW_CASES: list[bytes] = [
    raw_request("POST", "/operations/do-echo", ID),
    raw_request("POST", "/operations/do-echo", {**ID, **JSON}, b'{"a": 1}'),
    raw_request("POST", "/operations/do-echo", {**ID, **ORIGIN}),
    raw_request("POST", "/operations/do-echo", {**ID, "origin": "http://evil"}),
    raw_request("POST", "/operations/do-echo", {**ID, "Connection": "close"}),
    raw_request("GET", "/operations/get-next?args=4", ID),
    raw_request("HEAD", "/operations/get-next?args=4", ID),
    raw_request("POST", "/operations/do-refuse", {**ID, **ORIGIN}),  # its own X-Frame-Options
    raw_request("POST", "/operations/do-fail", ID),
    raw_request("POST", "/operations/do-echo", {**ID, **JSON}, b"1" * 100),  # 413
    b"POST /operations/do-echo HTTP/1.0\r\nHost: testserver\r\nX-Request-ID: fixed-id-1\r\n\r\n",
]


def normalised(raw: bytes) -> bytes:
    # The fused app answers twice for one composed answer: its budget is one call lower.
    return re.sub(rb"(ratelimit: [^\r]*;r=)\d+;t=\d+", rb"\1_;t=_", raw)


async def test_through_the_protocol_the_bytes_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fused stack's whole response in one call (``_GuardedCycle.respond``, the
    security headers pre-rendered) writes the bytes its ASGI messages would, and the
    composed stack's: same head, same order, same body, same close."""
    from sentinel_spec.runtime.serving.protocol import _GuardedCycle

    fused_app = app_for(decl())
    composed_app = app_for(decl(middleware_config_fn=copy_of_cors))
    calls: list[bool] = []
    respond = _GuardedCycle.respond

    def counted(self: Any, *args: Any) -> bool:
        done = respond(self, *args)
        calls.append(done)
        return done

    async with (
        fused_app.router.lifespan_context(fused_app),
        composed_app.router.lifespan_context(composed_app),
    ):
        for request in RAW_CASES:
            monkeypatch.setattr(_GuardedCycle, "respond", counted)
            direct = await raw_exchange(fused_app, request)
            assert calls and calls[-1] is True, request  # taken the direct way
            monkeypatch.setattr(_GuardedCycle, "respond", lambda *a: False)
            messages = await raw_exchange(fused_app, request)
            composed = await raw_exchange(composed_app, request)
            assert isinstance(fused_app.middleware_stack, FusedOperations)
            assert not isinstance(composed_app.middleware_stack, FusedOperations)
            answer = normalised(direct[0])
            assert answer == normalised(messages[0]) == normalised(composed[0]), request
            assert direct[2] == messages[2] == composed[2], request
            assert direct[1] == 1  # head and body in one write
            assert b"x-request-id: fixed-id-1\r\n" in answer

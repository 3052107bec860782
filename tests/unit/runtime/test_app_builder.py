"""``create_app`` installs features through ``AppBuilder``: middleware slots, hooks, checks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from sentinel_spec.contract.declarations import AppDecl, Operation, RateLimit, WebSocket
from sentinel_spec.runtime.app import FEATURES
from sentinel_spec.runtime.state import AppBuilder
from tests.in_process import serve
from tests.stand_ins import pretend_unserved


async def ping(args: Any, context: Any) -> str:
    return "pong"


DECL = AppDecl(name="B", title="B", operations=(Operation("ping", "ping", "query", ping),))


class Tag:
    """Adds ``x-order: <name>`` to the response, so the order of layers shows."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app, self.name = app, name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def tagged(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-order", self.name.encode()))
            await send(message)

        await self.app(scope, receive, tagged)


def test_features_install_in_the_documented_order() -> None:
    short = [name.rsplit(".", 1)[1] for name in FEATURES]
    assert short == [
        "observability",
        "middleware",
        "db",
        "ratelimit",
        "auth",
        "email",
        "jobs",
        "realtime",
        "http",
    ]


async def test_add_middleware_places_a_layer_by_name() -> None:
    seen: dict[str, list[str]] = {}

    def install(builder: AppBuilder) -> None:
        builder.add_middleware("inner", Middleware(Tag, name="inner"))
        builder.add_middleware("afterCors", Middleware(Tag, name="afterCors"), after="cors")
        builder.add_middleware("first", Middleware(Tag, name="first"), before="securityHeaders")
        seen["stack"] = list(builder.middleware)
        with pytest.raises(ValueError, match="no middleware 'nope'"):
            builder.add_middleware("x", Middleware(Tag, name="x"), before="nope")
        with pytest.raises(ValueError, match="already in the stack"):
            builder.add_middleware("cors", Middleware(Tag, name="x"))

    async with serve(DECL, features=[install]) as client:
        response = await client.get("/operations/ping")
    assert seen["stack"] == [
        "first",
        "securityHeaders",
        "cors",
        "afterCors",
        "bodyLimit",
        "inner",
    ]
    # Response headers are appended innermost first.
    assert response.headers.get_list("x-order") == ["inner", "afterCors", "first"]


async def test_startup_in_order_shutdown_in_reverse_and_health_checks() -> None:
    events: list[str] = []

    def install(builder: AppBuilder) -> None:
        async def up_a() -> None:
            events.append("up a")

        async def up_b() -> None:
            events.append("up b")

        async def down_a() -> None:
            events.append("down a")

        async def down_b() -> None:
            events.append("down b")

        async def healthy() -> bool:
            return True

        async def broken() -> bool:
            raise ConnectionError("no redis")

        builder.on_startup(up_a)
        builder.on_startup(up_b)
        builder.on_shutdown(down_a)
        builder.on_shutdown(down_b)
        builder.add_health_check("queue", healthy)
        builder.add_health_check("redis", broken, critical=False)

    async with serve(DECL, features=[install]) as client:
        assert events == ["up a", "up b"]
        state = client._transport.app.state.sentinel  # type: ignore[attr-defined]
        assert await state.health() == {"queue": True, "redis": False}
    assert events == ["up a", "up b", "down b", "down a"]


async def test_declared_features_not_served_are_logged_at_start(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_unserved(monkeypatch, "websockets", "rateLimit")

    async def live(socket: Any, context: Any) -> None:
        return None

    decl = AppDecl(
        name="N",
        title="N",
        operations=(Operation("ping", "ping", "query", ping, rate_limit=RateLimit(5, 60, "ip")),),
        websockets=(WebSocket("live", "/ws/live", live),),
    )
    with caplog.at_level(logging.WARNING, logger="sentinel.runtime"):
        async with serve(decl) as client:
            state = client._transport.app.state.sentinel  # type: ignore[attr-defined]
    assert state.not_served == [
        "not served yet: websockets (websocket live): the paths answer 404; "
        "context.realtime raises FeatureNotAvailable",
        "not served yet: rateLimit (query ping): no request is ever refused with 429",
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "sentinel.runtime"] == (
        state.not_served
    )


async def test_the_cli_can_say_it_reported_them_already(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_unserved(monkeypatch, "websockets")

    async def live(socket: Any, context: Any) -> None:
        return None

    decl = AppDecl(name="N", title="N", websockets=(WebSocket("live", "/ws/live", live),))
    with caplog.at_level(logging.WARNING, logger="sentinel.runtime"):
        async with serve(decl, environ={"SENTINEL_NOT_SERVED_REPORTED": "1"}):
            pass
    assert not [r for r in caplog.records if r.name == "sentinel.runtime"]

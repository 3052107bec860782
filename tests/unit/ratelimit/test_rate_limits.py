"""Rate limits on memory storage, through the real app: 429s, headers, keys, named limits."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.middleware import Middleware

from sentinel_spec.contract.declarations import Api, AppDecl, Operation, RateLimit
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.ratelimit.limiter import window_stats
from tests.stand_ins import authenticate_with


async def ping(args: Any, context: Context) -> str:
    return "pong"


async def invite(args: Any, context: Context) -> str:
    await context.rate_limit("memberInvite")
    return "invited"


async def unknown_limit(args: Any, context: Context) -> str:
    await context.rate_limit("noSuchLimit")
    return "?"


async def health(request: Any, context: Context) -> dict[str, str]:
    return {"status": "ok"}


async def hook(request: Any, context: Context) -> dict[str, str]:
    return {"ok": "yes"}


def no_rate_limit(stack: dict[str, Middleware]) -> dict[str, Middleware]:
    stack.pop("rateLimit", None)  # present when server.rateLimit.default is declared
    return stack


def op(name: str, fn: Any = ping, rule: RateLimit | None = None) -> Operation:
    return Operation(name=name, route_name=name, kind="action", fn=fn, rate_limit=rule)


def make_decl(**overrides: Any) -> AppDecl:
    fields: dict[str, Any] = {
        "name": "Limited",
        "title": "Limited",
        "operations": (
            op("byIp", rule=RateLimit(2, 60, "ip")),
            op("byUser", rule=RateLimit(2, 60, "user")),
            op("byWorkspace", rule=RateLimit(1, 60, "workspace")),
            op("invite", fn=invite),
            op("unknownLimit", fn=unknown_limit),
            op("free"),
        ),
        "apis": (
            Api(name="health", method="GET", path="/api/health", fn=health),
            Api(
                name="hook",
                method="POST",
                path="/hook",
                fn=hook,
                middleware_config_fn=no_rate_limit,
            ),
        ),
        "named_rate_limits": {"memberInvite": RateLimit(2, 3600, "user")},
    }
    fields.update(overrides)
    return AppDecl(**fields)


@dataclasses.dataclass
class User:
    id: str


async def user_from_header(conn: Any) -> User | None:
    """Signs in whoever ``X-Test-User`` names: the rate limits only need a user id."""
    user = conn.headers.get("x-test-user")
    return User(user) if user else None


@asynccontextmanager
async def client_for(
    decl: AppDecl, peer: str = "127.0.0.1", environ: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        decl, environ=environ or {}, dotenv=None, features=[authenticate_with(user_from_header)]
    )

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(peer, 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client


async def test_an_operation_limit_answers_429_with_retry_after_and_ietf_headers() -> None:
    async with client_for(make_decl()) as client:
        first = await client.post("/operations/byIp", json={})
        second = await client.post("/operations/byIp", json={})
        third = await client.post("/operations/byIp", json={})
    assert first.status_code == second.status_code == 200
    assert first.headers["ratelimit-policy"] == '"byIp";q=2;w=60'
    assert first.headers["ratelimit"].startswith('"byIp";r=1;t=')
    assert second.headers["ratelimit"].startswith('"byIp";r=0;t=')
    assert third.status_code == 429
    error = third.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["limit"] == "byIp"
    assert error["requestId"] == third.headers["x-request-id"]
    retry_after = int(third.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert error["details"]["retryAfter"] == retry_after
    assert third.headers["ratelimit-policy"] == '"byIp";q=2;w=60'
    # The security headers are on the 429 too.
    assert third.headers["x-content-type-options"] == "nosniff"


async def test_by_user_gives_each_user_a_budget_and_anonymous_callers_their_ip() -> None:
    async with client_for(make_decl()) as client:
        for _ in range(2):
            assert (
                await client.post("/operations/byUser", headers={"x-test-user": "a"})
            ).status_code == 200
        assert (
            await client.post("/operations/byUser", headers={"x-test-user": "a"})
        ).status_code == 429
        assert (
            await client.post("/operations/byUser", headers={"x-test-user": "b"})
        ).status_code == 200
        assert (await client.post("/operations/byUser")).status_code == 200
        assert (await client.post("/operations/byUser")).status_code == 200
        assert (await client.post("/operations/byUser")).status_code == 429


async def test_by_workspace_keys_on_the_workspace_id_in_the_args() -> None:
    async with client_for(make_decl()) as client:
        one = {"workspaceId": "ws-1"}
        assert (await client.post("/operations/byWorkspace", json=one)).status_code == 200
        assert (await client.post("/operations/byWorkspace", json=one)).status_code == 429
        two = {"workspaceId": "ws-2"}
        assert (await client.post("/operations/byWorkspace", json=two)).status_code == 200


async def test_the_server_default_counts_every_route_but_health_and_preflights() -> None:
    decl = make_decl(default_rate_limit=RateLimit(3, 60, "ip"), cors_origins=("http://app.test",))
    async with client_for(decl) as client:
        for _ in range(5):
            assert (await client.get("/api/health")).status_code == 200
            preflight = await client.options(
                "/operations/free",
                headers={"Origin": "http://app.test", "Access-Control-Request-Method": "POST"},
            )
            assert preflight.status_code == 204
        answers = [await client.post("/operations/free") for _ in range(3)]
        assert [r.status_code for r in answers] == [200, 200, 200]
        assert answers[0].headers["ratelimit-policy"] == '"default";q=3;w=60'
        missing = await client.get("/no-such-page")
        assert missing.status_code == 429  # unknown routes spend the budget too
        assert missing.json()["error"]["code"] == "rate_limited"
        # An api whose middlewareConfigFn drops the entry is not limited.
        assert (await client.post("/hook")).status_code == 200


async def test_both_limits_apply_and_both_sets_of_headers_are_sent() -> None:
    decl = make_decl(default_rate_limit=RateLimit(100, 60, "ip"))
    async with client_for(decl) as client:
        response = await client.post("/operations/byIp", json={})
    policies = response.headers.get_list("ratelimit-policy")
    assert '"default";q=100;w=60' in policies and '"byIp";q=2;w=60' in policies


async def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    spoofed = {"X-Forwarded-For": "198.51.100.1"}
    async with client_for(make_decl(), peer="203.0.113.9") as client:
        # An untrusted peer cannot pick its key by sending X-Forwarded-For.
        for index in range(3):
            headers = {"X-Forwarded-For": f"198.51.100.{index}"}
            response = await client.post("/operations/byIp", json={}, headers=headers)
        assert response.status_code == 429
    async with client_for(make_decl()) as client:  # loopback: a trusted proxy by default
        for _ in range(2):
            assert (
                await client.post("/operations/byIp", json={}, headers=spoofed)
            ).status_code == 200
        assert (await client.post("/operations/byIp", json={}, headers=spoofed)).status_code == 429
        other = {"X-Forwarded-For": "198.51.100.2"}
        assert (await client.post("/operations/byIp", json={}, headers=other)).status_code == 200
    trusted = {"FORWARDED_ALLOW_IPS": "203.0.113.0/24"}
    async with client_for(make_decl(), peer="203.0.113.9", environ=trusted) as client:
        for index in range(3):
            headers = {"X-Forwarded-For": f"198.51.100.{index}"}
            assert (
                await client.post("/operations/byIp", json={}, headers=headers)
            ).status_code == 200


async def test_named_limits_are_counted_by_user_code() -> None:
    async with client_for(make_decl()) as client:
        me = {"x-test-user": "u1"}
        assert (await client.post("/operations/invite", headers=me)).json() == "invited"
        assert (await client.post("/operations/invite", headers=me)).status_code == 200
        refused = await client.post("/operations/invite", headers=me)
        assert refused.status_code == 429
        assert refused.json()["error"]["details"]["limit"] == "memberInvite"
        assert refused.headers["ratelimit-policy"] == '"memberInvite";q=2;w=3600'
        assert (
            await client.post("/operations/invite", headers={"x-test-user": "u2"})
        ).status_code == 200


async def test_an_undeclared_named_limit_is_a_clear_500(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        async with client_for(make_decl()) as client:
            response = await client.post("/operations/unknownLimit")
    assert response.status_code == 500
    assert "no named rate limit 'noSuchLimit'" in caplog.text
    assert "declared: memberInvite" in caplog.text


async def test_failing_closed_answers_503_when_the_store_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    decl = make_decl(rate_limit_storage="redis://127.0.0.1:1/0", rate_limit_fail_open=False)
    with caplog.at_level(logging.WARNING, logger="sentinel.ratelimit"):
        async with client_for(decl) as client:
            refused = await client.post("/operations/byIp", json={})
            unlimited = await client.post("/operations/free")
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "unavailable"
    assert int(refused.headers["retry-after"]) >= 1
    assert unlimited.status_code == 200  # routes without a limit never ask the store
    assert caplog.text.count("is unreachable") == 1


async def test_a_bad_storage_url_stops_start_up_with_one_line() -> None:
    from sentinel_spec.runtime.settings import SettingsError

    with pytest.raises(SettingsError) as raised:
        create_app(make_decl(rate_limit_storage="memcached://x"), environ={}, dotenv=None)
    assert "rateLimit.storage must be memory:// or a redis:// URL" in str(raised.value)


def test_window_stats_give_an_honest_retry_after() -> None:
    # 10/60s: 10 calls in the previous window, 30 s into the current one with 8 calls.
    remaining, wait = window_stats(10, 60, 10, 30.0, 8, 90.0)
    assert remaining == 0
    # One more call fits once floor(10 * (30 - t) / 60) + 8 + 1 <= 10, i.e. t > 18 s.
    assert 18.0 < wait < 18.1
    # Only the current window, full: it must become the previous one and decay.
    remaining, wait = window_stats(10, 60, 0, 0.0, 10, 90.0)
    assert remaining == 0 and 30.0 <= wait < 30.1
    remaining, wait = window_stats(10, 60, 0, 0.0, 3, 90.0)
    assert remaining == 7 and wait == 90.0
    assert window_stats(10, 60, 0, 0.0, 0, 0.0) == (10, 0.0)


async def test_counting_in_process_without_awaiting_is_the_awaited_count() -> None:
    from sentinel_spec.runtime.errors import HttpError
    from sentinel_spec.runtime.ratelimit.enforce import enforce, enforce_in_process
    from sentinel_spec.runtime.ratelimit.limiter import LimitsRateLimiter

    rule = RateLimit(limit=3, per_seconds=60)
    awaited, direct = LimitsRateLimiter(), LimitsRateLimiter()
    for _ in range(3):
        expected = await enforce(awaited, "default", rule, "ip:1.2.3.4")
        got = enforce_in_process(direct, "default", rule, "ip:1.2.3.4")
        assert got is not None
        assert got["RateLimit-Policy"] == expected["RateLimit-Policy"]
        assert got["RateLimit"].split(";")[:2] == expected["RateLimit"].split(";")[:2]
    for limiter, call in ((awaited, None), (direct, enforce_in_process)):
        with pytest.raises(HttpError) as refused:
            if call is None:
                await enforce(limiter, "default", rule, "ip:1.2.3.4")
            else:
                call(limiter, "default", rule, "ip:1.2.3.4")
        assert refused.value.status == 429
    # Counters shared through Redis cannot be counted without a round trip.
    assert enforce_in_process(LimitsRateLimiter("redis://127.0.0.1:1"), "d", rule, "k") is None


async def test_raw_in_process_headers_are_the_raw_form_of_the_headers() -> None:
    from sentinel_spec.runtime.errors import HttpError
    from sentinel_spec.runtime.ratelimit.enforce import (
        enforce_in_process,
        enforce_in_process_raw,
        raw,
    )
    from sentinel_spec.runtime.ratelimit.limiter import LimitsRateLimiter

    rule = RateLimit(limit=2, per_seconds=60)
    as_dict, as_raw = LimitsRateLimiter(), LimitsRateLimiter()
    for name in ("default", 'we"ird\\name'):
        for _ in range(2):
            expected = enforce_in_process(as_dict, name, rule, "ip:1.2.3.4")
            got = enforce_in_process_raw(as_raw, name, rule, "ip:1.2.3.4")
            assert expected is not None and got is not None
            assert [(n, v.split(b";t=")[0]) for n, v in got] == [
                (n, v.split(b";t=")[0]) for n, v in raw(expected)
            ]
        with pytest.raises(HttpError) as refused:
            enforce_in_process_raw(as_raw, name, rule, "ip:1.2.3.4")
        assert refused.value.status == 429
    assert enforce_in_process_raw(LimitsRateLimiter("redis://127.0.0.1:1"), "d", rule, "k") is None

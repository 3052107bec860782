"""Rate limits on real Redis: instances share one budget; an outage fails open, once.

The shared-budget test uses the machine's Redis with a key prefix of its own; the
outage test starts its own ``redis-server`` on a free port and stops/restarts it (the
machine's Redis is never touched).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
import redis

from sentinel_spec.contract.declarations import AppDecl, Operation, RateLimit
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context
from tests.servers import free_port

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


async def ping(args: Any, context: Context) -> str:
    return "pong"


def decl(storage: str, fail_open: bool = True) -> AppDecl:
    return AppDecl(
        name="Shared",
        title="Shared",
        operations=(
            Operation(
                name="ping", route_name="ping", kind="action", fn=ping, rate_limit=RateLimit(3, 60)
            ),
        ),
        rate_limit_storage=storage,
        rate_limit_fail_open=fail_open,
    )


def redis_or_skip(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")


@asynccontextmanager
async def instance(app_decl: AppDecl, prefix: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_decl, environ={"RATE_LIMIT_PREFIX": prefix}, dotenv=None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"test-rl-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{name}*"))
    if keys:
        client.delete(*keys)  # only the keys this test created


async def test_two_instances_share_one_budget(prefix: str) -> None:
    redis_or_skip(REDIS_URL)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(instance(decl(REDIS_URL), prefix))
        second = await stack.enter_async_context(instance(decl(REDIS_URL), prefix))
        statuses = [
            (await client.post("/operations/ping")).status_code
            for client in (first, second, first, second)
        ]
        assert statuses == [200, 200, 200, 429]
        refused = await first.post("/operations/ping")
        assert refused.status_code == 429
        assert refused.headers["ratelimit"].startswith('"ping";r=0;')
    stored = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}*"))
    assert stored, "the counters live in Redis under the app's prefix"


class OwnRedis:
    """A redis-server of this test's own, on a free port, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_an_outage_fails_open_with_one_warning_and_limits_return_with_redis(
    own_redis: OwnRedis, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sentinel.ratelimit")
    async with instance(decl(own_redis.url), "outage") as client:

        async def statuses(count: int) -> list[int]:
            return [(await client.post("/operations/ping")).status_code for _ in range(count)]

        assert await statuses(4) == [200, 200, 200, 429]
        own_redis.stop()
        # Redis is gone: every call passes, well past the limit, with one warning.
        started = time.monotonic()
        assert await statuses(20) == [200] * 20
        assert time.monotonic() - started < 5, "a dead Redis must not slow requests down"
        time.sleep(1.1)  # past the retry interval: the limiter asks Redis again
        assert await statuses(5) == [200] * 5
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "is unreachable" in warnings[0].getMessage()
        assert "requests pass unlimited" in warnings[0].getMessage()

        own_redis.start()  # a fresh, empty Redis on the same port
        time.sleep(1.1)
        assert await statuses(4) == [200, 200, 200, 429]
        back = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
        assert len(back) == 1 and "is back after" in back[0] and "limits apply again" in back[0]
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1

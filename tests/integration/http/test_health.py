"""``GET /api/health`` against a PostgreSQL that crashes (SIGKILL) and comes back, and a
Redis that is not there: 503 naming the database, 200 "degraded" naming Redis."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sentinel_spec.commands.postgres import EmbeddedPostgres
from sentinel_spec.contract.declarations import AppDecl, Operation, RateLimit
from sentinel_spec.runtime.app import create_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def postgres() -> Iterator[EmbeddedPostgres]:
    project = Path(tempfile.mkdtemp(prefix="sentinel-test-health-"))
    pg = EmbeddedPostgres.for_project(project)
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(project, ignore_errors=True)


class Base(DeclarativeBase):
    pass


class Visit(Base):
    __tablename__ = "health_visits"
    id: Mapped[int] = mapped_column(primary_key=True)


async def careless(args: Any, context: Any) -> str:
    # Swallows a failed flush and carries on: the commit then raises PendingRollbackError.
    context.session.add(Visit())
    with contextlib.suppress(Exception):
        await context.session.flush()
    return "done"


def crash(pg: EmbeddedPostgres) -> None:
    pid = int((pg.data_dir / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pg.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
async def client(postgres: EmbeddedPostgres) -> AsyncIterator[httpx.AsyncClient]:
    postgres.start()
    with psycopg.connect(postgres.libpq_url(), autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS health_visits (id serial PRIMARY KEY)")
    decl = AppDecl(
        name="Healthy",
        title="Healthy",
        operations=(Operation("careless", "careless", "action", careless),),
        metadata=Base.metadata,
        rate_limit_storage="redis://127.0.0.1:1/0",  # nothing listens there
        default_rate_limit=RateLimit(1000, 60),
    )
    app = create_app(decl, environ={"DATABASE_URL": postgres.url()}, dotenv=None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


async def test_health_names_what_is_down(
    client: httpx.AsyncClient, postgres: EmbeddedPostgres
) -> None:
    up = await client.get("/api/health")
    assert up.status_code == 200
    report = up.json()
    assert report["database"] == "ok"
    assert report["redis"] == "down"  # not critical: the limits fail open
    assert report["status"] == "degraded" and report["app"] == "Healthy"
    assert up.headers["x-content-type-options"] == "nosniff"

    crash(postgres)
    started = time.monotonic()
    down = await client.get("/api/health")
    assert time.monotonic() - started < 5, "health must not hang on a dead database"
    assert down.status_code == 503
    error = down.json()["error"]
    assert error["code"] == "unavailable"
    assert error["message"] == "down: database, redis"
    assert error["details"]["database"] == "down"
    assert error["details"]["status"] == "unavailable"

    # Code that swallowed the failure and went on gets a 503 too, not a 500.
    careless_call = await client.post("/operations/careless")
    assert careless_call.status_code == 503

    postgres.start()
    statuses = []
    for _ in range(3):
        statuses.append((await client.get("/api/health")).status_code)
    assert statuses[-1] == 200, statuses
    assert (await client.post("/operations/careless")).json() == "done"


def test_an_api_of_the_spec_at_the_same_path_wins() -> None:
    from sentinel_spec.contract.declarations import Api
    from sentinel_spec.contract.routes import plan

    async def mine(request: Any, context: Any) -> dict[str, str]:
        return {"mine": "yes"}

    with_own = AppDecl(name="A", title="A", apis=(Api("health", "GET", "/api/health", mine),))
    assert [r.kind for r in plan(with_own)] == ["api"]
    assert [r.kind for r in plan(AppDecl(name="A", title="A"))] == ["health"]

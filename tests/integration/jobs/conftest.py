"""Fixtures of the job queue's integration tests: a fresh database holding procrastinate's
schema (installed the way a revision installs it) and a ``done`` table that perform
functions write to, so "ran exactly once" is a row count."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sentinel_spec.contract.declarations import Job
from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.db.urls import libpq_url
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from sentinel_spec.runtime.jobs.schema import install_sql
from sentinel_spec.runtime.jobs.worker import JobWorker

pytestmark = pytest.mark.postgres


class Base(DeclarativeBase):
    pass


class Done(Base):
    """One row per successful run that wrote one (``label`` says what ran)."""

    __tablename__ = "done"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    attempt: Mapped[int] = mapped_column(Integer, default=1)


def prepare(url: str) -> None:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(install_sql())
        conn.execute(
            "CREATE TABLE done (id serial PRIMARY KEY, job_id int NOT NULL,"
            " label varchar(200) NOT NULL, attempt int NOT NULL DEFAULT 1)"
        )


@pytest.fixture
def queue_url(database_url: str) -> str:
    prepare(database_url)
    return database_url


def sql(url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        cursor = conn.execute(query, params or None)
        return cursor.fetchall() if cursor.description else []


def done_labels(url: str) -> list[str]:
    return [row[0] for row in sql(url, "SELECT label FROM done ORDER BY id")]


RuntimeFactory = Callable[..., Awaitable[JobRuntime]]


@pytest.fixture
async def make_runtime(queue_url: str) -> AsyncIterator[RuntimeFactory]:
    """``await make_runtime([Job(...)], url=..., **kwargs)``: opened, closed after the test."""
    made: list[tuple[JobRuntime, Database]] = []

    async def make(jobs: list[Job], url: str | None = None, **kwargs: Any) -> JobRuntime:
        database = Database(url or queue_url)
        runtime = JobRuntime(jobs, url=url or queue_url, database=database, **kwargs)
        await runtime.open()
        made.append((runtime, database))
        return runtime

    yield make
    for runtime, database in made:
        await runtime.close()
        await database.dispose()


FAST = {
    "poll_interval": 0.5,
    "heartbeat_interval": 0.3,
    "stalled_after": 1.5,
    "maintenance_interval": 0.3,
    "shutdown_timeout": 5.0,
}


@asynccontextmanager
async def running(runtime: JobRuntime, **settings: Any) -> AsyncIterator[JobWorker]:
    """A worker on ``runtime`` in a task, started; stopped (gracefully) at the end."""
    worker = runtime.worker(**{**FAST, **settings})
    task = asyncio.create_task(worker.run())
    started = asyncio.create_task(worker.started.wait())
    done, _ = await asyncio.wait({task, started}, timeout=15, return_when="FIRST_COMPLETED")
    if task in done:
        started.cancel()
        task.result()  # raises what stopped it
    assert started in done, "worker did not start"
    try:
        yield worker
    finally:
        worker.stop()
        await asyncio.wait_for(task, timeout=30)


async def wait_for(
    condition: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05
) -> Any:
    """Poll ``condition`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await asyncio.sleep(interval)


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"

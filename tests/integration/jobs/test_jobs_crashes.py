"""Nothing lost: a worker killed with SIGKILL mid-job, two workers on one queue, and a
PostgreSQL restart under a running worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sentinel_spec.runtime.jobs.records import JobStatus
from tests.integration.jobs.conftest import (
    RuntimeFactory,
    done_labels,
    prepare,
    running,
    sql,
    wait_for,
)
from tests.integration.jobs.worker_process import JOBS

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def worker_process(url: str, concurrency: int = 1) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.jobs.worker_process", url, str(concurrency)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready"), f"worker did not start: {line!r}"
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def status_of(url: str, job_id: int) -> tuple[str, int]:
    rows = sql(url, "SELECT status::text, attempts FROM procrastinate_jobs WHERE id = %s", job_id)
    return rows[0]


async def test_a_job_whose_worker_is_killed_is_run_again_and_done_once(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime(JOBS)
    with worker_process(queue_url) as victim:
        job_id = await runtime.queue().slowRecord.submit({"label": "survivor", "seconds": 30})
        await wait_for(lambda: status_of(queue_url, job_id)[0] == "doing")
        await asyncio.sleep(0.5)  # well inside the run: the row is written, not committed
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
    assert status_of(queue_url, job_id)[0] == "doing"  # the dead worker still "has" it
    # Another worker notices the silent heartbeat, queues the job again and runs it.
    sql(
        queue_url,
        "UPDATE procrastinate_jobs SET args = %s WHERE id = %s",
        '{"args": {"label": "survivor", "seconds": 0}}',
        job_id,
    )
    async with running(runtime):
        await wait_for(lambda: status_of(queue_url, job_id)[0] == "succeeded", timeout=30)
    assert done_labels(queue_url) == ["survivor"]  # exactly once
    assert sql(queue_url, "SELECT attempt FROM done") == [(2,)]  # the crashed run counted


async def test_two_worker_processes_never_run_the_same_job(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime(JOBS)
    with worker_process(queue_url, 4) as one, worker_process(queue_url, 4) as two:
        ids = [
            await runtime.queue().slowRecord.submit({"label": f"j{i}", "seconds": 0.02})
            for i in range(120)
        ]
        await wait_for(lambda: sql(queue_url, "SELECT count(*) FROM done")[0][0] >= 120, timeout=60)
        await asyncio.sleep(0.5)
        workers = sql(queue_url, "SELECT DISTINCT worker_id FROM procrastinate_jobs")
        for process in (one, two):
            process.terminate()
            process.wait(30)
    labels = done_labels(queue_url)
    assert sorted(labels) == sorted(f"j{i}" for i in range(120))  # each once, none lost
    assert len(workers) == 2  # both took a share
    records = [await runtime.get(i) for i in ids]
    assert all(r is not None and r.status is JobStatus.SUCCEEDED for r in records)


@pytest.fixture
def own_server() -> Iterator[Any]:
    """An embedded PostgreSQL of this test alone: it is stopped and started mid-test."""
    from sentinel_spec.commands.postgres import EmbeddedPostgres
    from tests.conftest import embedded_data_dir

    with embedded_data_dir() as data_dir:
        server = EmbeddedPostgres(data_dir, database="jobs")
        try:
            server.start()
        except Exception as error:
            pytest.skip(f"embedded PostgreSQL did not start: {error}")
        try:
            yield server
        finally:
            server.stop()


async def test_a_worker_survives_a_postgresql_restart(
    make_runtime: RuntimeFactory, own_server: Any
) -> None:
    url = own_server.url()
    prepare(url)
    runtime = await make_runtime(JOBS, url=url)
    async with running(runtime):
        before = await runtime.queue().slowRecord.submit({"label": "before", "seconds": 0})
        await wait_for(lambda: done_labels(url) == ["before"])
        cut = await runtime.queue().slowRecord.submit({"label": "cut", "seconds": 3})
        await wait_for(lambda: status_of(url, cut)[0] == "doing")
        await asyncio.to_thread(own_server.stop)  # the run's commit can no longer happen
        await asyncio.sleep(1.0)
        await asyncio.to_thread(own_server.start)

        async def submit_after() -> int | None:
            try:
                return await runtime.queue().slowRecord.submit({"label": "after", "seconds": 0})
            except Exception:
                return None

        await wait_for(submit_after, timeout=30)
        # The cut-off run is recovered once its old worker id stops beating; done once.
        await wait_for(lambda: sorted(done_labels(url)) == ["after", "before", "cut"], timeout=60)
    assert status_of(url, before)[0] == "succeeded"
    assert status_of(url, cut)[0] == "succeeded"
    assert sorted(done_labels(url)) == ["after", "before", "cut"]


async def test_a_worker_waiting_for_an_unreachable_database_stops_at_once(
    make_runtime: RuntimeFactory,
) -> None:
    """Its schema check would hold for the pool's whole connect timeout (10 s): stop()
    cuts it short, so a shutdown or a dev reload does not wait on a database that is
    away."""
    runtime = await make_runtime(JOBS, url="postgresql://postgres@127.0.0.1:1/unreachable")
    worker = runtime.worker(shutdown_timeout=5.0)
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.5)  # inside the schema check, connecting
    assert not task.done()
    worker.stop()
    await asyncio.wait_for(task, timeout=2)
    assert worker.restarts == 0


async def test_a_worker_stops_even_when_its_schema_check_lost_the_cancellation(
    make_runtime: RuntimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """psycopg_pool waits for a connection inside Python 3.11's ``asyncio.wait_for``, which
    can lose a cancellation: stop() cancels the check again until it ends."""
    runtime = await make_runtime(JOBS, url="postgresql://postgres@127.0.0.1:1/unreachable")
    lost: list[int] = []

    async def check_that_loses_one_cancellation() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            lost.append(1)  # carried on, as wait_for does when its inner await just ended
        await asyncio.sleep(3600)

    monkeypatch.setattr(runtime, "check_schema", check_that_loses_one_cancellation)
    worker = runtime.worker(shutdown_timeout=5.0)
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)
    assert not task.done()
    worker.stop()
    await asyncio.wait_for(task, timeout=2)
    assert lost == [1]

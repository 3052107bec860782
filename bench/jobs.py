"""The job queue through Sentinel against raw procrastinate, in the same run.

- submit: no-op jobs submitted one after another, each its own transaction
  (``context.jobs.noop.submit()`` unbound vs ``task.defer_async()``), in alternating
  blocks of 100, jobs/s
- worker: batches of 500 no-op jobs queued, then one worker (concurrency 8) started to
  run them all (``JobWorker`` vs procrastinate's ``Worker``), alternating, jobs/s
- latency: an idle Sentinel worker; the time from a submit's commit to the perform
  function starting, p50/p99 (LISTEN/NOTIFY, not polling: the poll interval is 5 s)

Each throughput round runs both sides, in alternating order; the ratio is taken per
round and its median printed (targets: ratio >= 0.9 each; latency p50 < 50 ms).

    python bench/jobs.py [--jobs 2000] [--rounds 3] [--samples 200]

Needs a PostgreSQL (DATABASE_URL, default the local one): it creates and drops a
database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
from procrastinate import worker as pworker
from psycopg_pool import AsyncConnectionPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sentinel_spec.contract.declarations import Job
from sentinel_spec.runtime.db.urls import libpq_url
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from sentinel_spec.runtime.jobs.schema import install_sql

CONCURRENCY = 8
BLOCK = 100
WORK_BATCH = 500
started_at: dict[int, float] = {}
submitted_at: dict[int, float] = {}


async def noop(args: Any, context: Any) -> None:
    return None


async def timed(args: Any, context: Any) -> None:
    started_at[context.job.id] = time.perf_counter()


async def until_done(task: str, n: int, pool: AsyncConnectionPool) -> None:
    """Both sides are timed the same way: an async count every 20 ms on their own pool."""
    while True:
        async with pool.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) FROM procrastinate_jobs"
                " WHERE task_name = %s AND status = 'succeeded'",
                (task,),
            )
            row = await cursor.fetchone()
        if row is not None and row[0] >= n:
            return
        await asyncio.sleep(0.02)


def clear(conn: psycopg.Connection[Any]) -> None:
    conn.execute("DELETE FROM procrastinate_jobs")
    conn.execute("DELETE FROM procrastinate_workers")


class Raw:
    """procrastinate as its docs set it up: an App, a task, a pool of the same size."""

    def __init__(self, conninfo: str) -> None:
        self.pool = AsyncConnectionPool(conninfo, min_size=1, max_size=10, open=False)
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector())

        @self.app.task(name="rawNoop", pass_context=True)
        async def raw_noop(context: Any, args: Any = None) -> None:
            return None

        self.task = raw_noop

    async def open(self) -> None:
        await self.pool.open()
        await self.app.open_async(pool=self.pool)

    async def close(self) -> None:
        await self.app.close_async()
        await self.pool.close()

    async def submit(self, n: int) -> float:
        began = time.perf_counter()
        for _ in range(n):
            await self.task.defer_async(args=None)
        return n / (time.perf_counter() - began)

    async def work(self, n: int, conn: psycopg.Connection[Any]) -> float:
        await self.task.batch_defer_async(*({"args": None} for _ in range(n)))
        worker = pworker.Worker(self.app, concurrency=CONCURRENCY, install_signal_handlers=False)
        began = time.perf_counter()
        task = asyncio.create_task(worker.run())
        await until_done("rawNoop", n, self.pool)
        elapsed = time.perf_counter() - began
        worker.stop()
        await task
        return n / elapsed


class Ours:
    def __init__(self, url: str) -> None:
        self.runtime = JobRuntime([Job("noop", noop), Job("timed", timed)], url=url)

    async def open(self) -> None:
        await self.runtime.open()

    async def close(self) -> None:
        await self.runtime.close()

    async def submit(self, n: int) -> float:
        handle = self.runtime.queue().noop
        began = time.perf_counter()
        for _ in range(n):
            await handle.submit()
        return n / (time.perf_counter() - began)

    async def work(self, n: int, conn: psycopg.Connection[Any]) -> float:
        await self.runtime.app.tasks["noop"].batch_defer_async(*({"args": None} for _ in range(n)))
        worker = self.runtime.worker(concurrency=CONCURRENCY, cron=False)
        began = time.perf_counter()
        task = asyncio.create_task(worker.run())
        await until_done("noop", n, self.runtime.pool)
        elapsed = time.perf_counter() - began
        worker.stop()
        await task
        return n / elapsed

    async def latency(self, samples: int) -> list[float]:
        worker = self.runtime.worker(concurrency=CONCURRENCY, cron=False, poll_interval=5.0)
        task = asyncio.create_task(worker.run())
        await worker.started.wait()
        await asyncio.sleep(0.5)  # the listener is connected
        handle = self.runtime.queue().timed
        waits: list[float] = []
        for _ in range(samples):
            job_id = await handle.submit()
            committed = time.perf_counter()
            deadline = committed + 5
            while job_id not in started_at and time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
            if job_id in started_at:
                waits.append(started_at[job_id] - committed)
            await asyncio.sleep(0.02)
        worker.stop()
        await task
        return waits


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(url: str, jobs: int, rounds: int, samples: int) -> None:
    conninfo = libpq_url(url)
    raw, ours = Raw(conninfo), Ours(url)
    await raw.open()
    await ours.open()
    submit_ratios: list[float] = []
    work_ratios: list[float] = []
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            await raw.submit(200)  # warm both
            await ours.submit(200)
            clear(conn)
            for index in range(rounds):
                sides = [("raw", raw), ("sentinel", ours)]
                if index % 2:
                    sides.reverse()
                submit: dict[str, float] = {}
                work: dict[str, float] = {}
                # Blocks of 100 submits, alternating sides: a change in the machine's load
                # (other processes) during the round then weighs on both alike.
                spent = {"raw": 0.0, "sentinel": 0.0}
                for block in range(max(1, jobs // BLOCK)):
                    for name, side in sides if block % 2 == 0 else sides[::-1]:
                        spent[name] += BLOCK / await side.submit(BLOCK)
                clear(conn)
                for name in spent:
                    submit[name] = max(1, jobs // BLOCK) * BLOCK / spent[name]
                # Workers too, in alternating batches (each starts a worker and drains them).
                busy = {"raw": 0.0, "sentinel": 0.0}
                batches = max(1, jobs // WORK_BATCH)
                for batch in range(batches):
                    for name, side in sides if batch % 2 == 0 else sides[::-1]:
                        busy[name] += WORK_BATCH / await side.work(WORK_BATCH, conn)
                        clear(conn)
                for name in busy:
                    work[name] = batches * WORK_BATCH / busy[name]
                submit_ratios.append(submit["sentinel"] / submit["raw"])
                work_ratios.append(work["sentinel"] / work["raw"])
                print(
                    f"round {index + 1}: submit sentinel {submit['sentinel']:.0f}/s raw "
                    f"{submit['raw']:.0f}/s ({submit_ratios[-1]:.2f}); worker sentinel "
                    f"{work['sentinel']:.0f}/s raw {work['raw']:.0f}/s ({work_ratios[-1]:.2f})",
                    flush=True,
                )
            waits = await ours.latency(samples)
    finally:
        await ours.close()
        await raw.close()
    print(
        f"submit throughput ratio (median): {statistics.median(submit_ratios):.2f}  (target >= 0.9)"
    )
    print(
        f"worker throughput ratio (median): {statistics.median(work_ratios):.2f}  (target >= 0.9)"
    )
    ms = [w * 1000 for w in waits]
    print(
        f"submit-to-start latency, idle worker: p50 {percentile(ms, 0.5):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms over {len(ms)} jobs  (target p50 < 50 ms)"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    options = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"bench_jobs_{uuid.uuid4().hex[:10]}"
    admin = libpq_url(server)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = admin.partition("?")
    url = base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(install_sql())
        asyncio.run(run(url, options.jobs, options.rounds, options.samples))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""Cron: every tick deferred once however many workers, in the job's timezone, under a
clock the test controls."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sentinel_spec.contract.declarations import Job, JobOptions
from sentinel_spec.runtime.jobs.schedule import CronScheduler
from tests.integration.jobs.conftest import RuntimeFactory, done_labels, running, sql, wait_for

pytestmark = pytest.mark.postgres


async def stamp(args: Any, context: Any) -> None:
    from tests.integration.jobs.conftest import Done

    tick = context.job.scheduled_for
    context.session.add(Done(job_id=context.job.id, label=f"{args['kind']} {tick.isoformat()}"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def cron_rows(url: str) -> list[tuple[Any, ...]]:
    return sql(url, "SELECT task_name, args FROM procrastinate_jobs ORDER BY id")


async def test_two_workers_defer_each_tick_once(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    job = Job("everyFive", stamp, cron="*/5 * * * *", cron_args={"kind": "five"})
    first, second = await make_runtime([job]), await make_runtime([job])
    one, two = CronScheduler(first, [job]), CronScheduler(second, [job])

    # Both start at 10:02: the 10:00 tick is within max_delay, so it is deferred, once.
    assert len(await one.tick(at("2026-03-02T10:02:00"))) == 1
    assert await two.tick(at("2026-03-02T10:02:00")) == []
    # Nothing new until 10:05; then the 10:05 tick, again once.
    assert await one.tick(at("2026-03-02T10:04:59")) == []
    assert len(await two.tick(at("2026-03-02T10:05:00"))) == 1
    assert await one.tick(at("2026-03-02T10:05:01")) == []
    # A scheduler that slept 11 minutes defers the two ticks it missed; the other none.
    assert len(await one.tick(at("2026-03-02T10:16:00"))) == 2
    assert await two.tick(at("2026-03-02T10:16:30")) == []
    ticks = [row[1]["timestamp"] for row in cron_rows(queue_url)]
    expected = ["10:00", "10:05", "10:10", "10:15"]
    assert ticks == [int(at(f"2026-03-02T{t}:00").timestamp()) for t in expected]
    assert all(row[1]["args"] == {"kind": "five"} for row in cron_rows(queue_url))


async def test_a_late_start_skips_ticks_older_than_max_delay(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    job = Job("nightly", stamp, cron="0 1 * * *", cron_args={"kind": "n"})
    runtime = await make_runtime([job])
    late = CronScheduler(runtime, [job], max_delay=timedelta(minutes=10))
    assert await late.tick(at("2026-03-02T01:30:00")) == []  # 30 min late: not deferred
    assert len(await late.tick(at("2026-03-03T01:00:00"))) == 1  # the next night is


async def test_the_cron_reads_in_the_jobs_timezone(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    job = Job("morning", stamp, cron="0 9 * * *", timezone="Europe/Paris", cron_args={"kind": "m"})
    runtime = await make_runtime([job])
    scheduler = CronScheduler(runtime, [job])
    # Winter: 09:00 in Paris is 08:00 UTC; summer (after the last Sunday of March): 07:00.
    assert scheduler.next_tick(at("2026-03-02T00:00:00")) == at("2026-03-02T08:00:00")
    assert scheduler.next_tick(at("2026-04-02T00:00:00")) == at("2026-04-02T07:00:00")
    assert await scheduler.tick(at("2026-03-02T07:59:59")) == []
    assert len(await scheduler.tick(at("2026-03-02T08:00:00"))) == 1


async def test_a_running_worker_defers_and_runs_a_tick_with_its_clock(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    """The worker's own scheduler, with a clock the test moves: the tick runs, once."""
    now = [at("2026-03-02T10:04:59")]
    job = Job("daily", stamp, cron="5 10 * * *", cron_args={"kind": "w"})
    runtime = await make_runtime([job])
    async with running(runtime, clock=lambda: now[0]):
        await asyncio.sleep(0.3)
        assert cron_rows(queue_url) == []  # yesterday's tick is too old to catch up on
        now[0] = at("2026-03-02T10:05:00")
        await wait_for(lambda: done_labels(queue_url), timeout=10)
    assert done_labels(queue_url) == ["w 2026-03-02T10:05:00+00:00"]


async def test_a_singleton_cron_skips_a_tick_while_a_run_waits(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    job = Job(
        "digest",
        stamp,
        cron="*/5 * * * *",
        cron_args={"kind": "s"},
        options=JobOptions(singleton_key="one"),
    )
    runtime = await make_runtime([job])
    scheduler = CronScheduler(runtime, [job])
    assert len(await scheduler.tick(at("2026-03-02T10:00:00"))) == 1
    assert await scheduler.tick(at("2026-03-02T10:05:00")) == []  # the 10:00 run still waits
    assert len(cron_rows(queue_url)) == 1

"""Failure and recovery: retry timing, giving up, manual retry, expiry, shutdown release,
stalled jobs, retention."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from sentinel_spec.contract.declarations import Job, JobOptions
from sentinel_spec.runtime.jobs.maintenance import Maintenance, Retention
from sentinel_spec.runtime.jobs.records import JobStatus
from tests.integration.jobs.conftest import (
    Done,
    RuntimeFactory,
    done_labels,
    running,
    sql,
    wait_for,
)

pytestmark = pytest.mark.postgres


def job_row(url: str, job_id: int) -> tuple[str, int, datetime | None]:
    rows = sql(
        url,
        "SELECT status::text, attempts, scheduled_at FROM procrastinate_jobs WHERE id = %s",
        job_id,
    )
    return rows[0]


def retry_event_times(url: str, job_id: int) -> list[datetime]:
    rows = sql(
        url,
        "SELECT at FROM procrastinate_events WHERE job_id = %s AND type = 'deferred_for_retry'"
        " ORDER BY id",
        job_id,
    )
    return [row[0] for row in rows]


DUE_NOW = "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s"


async def always_fails(args: Any, context: Any) -> None:
    raise ValueError(f"attempt {context.job.attempt} failed")


async def test_retries_wait_retry_delay_doubling_with_backoff_then_stay_failed(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    options = JobOptions(retry_limit=3, retry_delay_seconds=10, retry_backoff=True)
    runtime = await make_runtime([Job("flaky", always_fails, options=options)])
    job_id = await runtime.queue().flaky.submit()
    waits: list[float] = []
    async with running(runtime):
        for attempt in range(1, 4):
            await wait_for(lambda a=attempt: job_row(queue_url, job_id)[:2] == ("todo", a))
            _, _, scheduled = job_row(queue_url, job_id)
            assert scheduled is not None
            failed_at = retry_event_times(queue_url, job_id)[-1]
            waits.append((scheduled - failed_at).total_seconds())
            # Time passes (rather than sleeping through it): make the retry due now.
            sql(
                queue_url,
                "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s",
                job_id,
            )
        await wait_for(lambda: job_row(queue_url, job_id)[0] == "failed")
    assert [round(w) for w in waits] == [10, 20, 40]
    status, attempts, _ = job_row(queue_url, job_id)
    assert (status, attempts) == ("failed", 4)  # 4 runs: the first and 3 retries
    failed = await runtime.list_jobs(status="failed")
    assert [r.id for r in failed] == [job_id]


async def test_fixed_retry_delay_and_no_retries_by_default(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    fixed = Job("fixed", always_fails, options=JobOptions(retry_limit=2, retry_delay_seconds=7))
    once = Job("once", always_fails)
    runtime = await make_runtime([fixed, once])
    fixed_id = await runtime.queue().fixed.submit()
    once_id = await runtime.queue().once.submit()
    async with running(runtime):
        await wait_for(lambda: job_row(queue_url, fixed_id)[:2] == ("todo", 1))
        await wait_for(lambda: job_row(queue_url, once_id)[0] == "failed")
    scheduled = job_row(queue_url, fixed_id)[2]
    assert scheduled is not None
    assert round((scheduled - retry_event_times(queue_url, fixed_id)[-1]).total_seconds()) == 7
    assert job_row(queue_url, once_id)[:2] == ("failed", 1)


async def test_a_failed_job_can_be_retried_by_hand(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    attempts: list[int] = []

    async def fails_first(args: Any, context: Any) -> None:
        attempts.append(context.job.attempt)
        if context.job.attempt == 1:
            raise RuntimeError("first run fails")
        context.session.add(Done(job_id=context.job.id, label="second"))

    runtime = await make_runtime([Job("once", fails_first)])
    job_id = await runtime.queue().once.submit()
    async with running(runtime):
        await wait_for(lambda: job_row(queue_url, job_id)[0] == "failed")
        with pytest.raises(ValueError, match="only failed jobs"):
            await runtime.retry(await runtime.queue().once.submit(delay=600))
        retried = await runtime.retry(job_id)
        assert retried.status is JobStatus.TODO
        await wait_for(lambda: done_labels(queue_url) == ["second"])
    assert attempts == [1, 2]
    with pytest.raises(LookupError):
        await runtime.retry(987654)


async def test_a_run_past_expire_in_seconds_is_cancelled_failed_and_retried(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    cancelled: list[int] = []

    async def hangs_first(args: Any, context: Any) -> None:
        if context.job.attempt == 1:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                cancelled.append(context.job.attempt)
                raise
        context.session.add(Done(job_id=context.job.id, label="ok", attempt=context.job.attempt))

    options = JobOptions(expire_in_seconds=1, retry_limit=1)
    runtime = await make_runtime([Job("hangs", hangs_first, options=options)])
    job_id = await runtime.queue().hangs.submit()
    async with running(runtime):
        await wait_for(lambda: done_labels(queue_url) == ["ok"], timeout=15)
    assert cancelled == [1]
    assert sql(queue_url, "SELECT attempt FROM done") == [(2,)]
    assert job_row(queue_url, job_id)[:2] == ("succeeded", 2)
    events = sql(
        queue_url,
        "SELECT type::text FROM procrastinate_events WHERE job_id = %s ORDER BY id",
        job_id,
    )
    assert [e[0] for e in events if e[0] != "scheduled"] == [
        "deferred",
        "started",
        "deferred_for_retry",
        "started",
        "succeeded",
    ]


async def test_shutdown_lets_short_runs_finish_and_releases_long_ones(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    async def takes(args: Any, context: Any) -> None:
        await asyncio.sleep(float(args))
        context.session.add(Done(job_id=context.job.id, label=f"slept {args}"))

    runtime = await make_runtime([Job("takes", takes)])  # no retries: released all the same
    queue = runtime.queue()
    short = await queue.takes.submit(0.5)
    long = await queue.takes.submit(30)
    async with running(runtime, concurrency=2, shutdown_timeout=2.0):
        await wait_for(lambda: job_row(queue_url, long)[0] == "doing")
        await wait_for(lambda: job_row(queue_url, short)[0] in ("doing", "succeeded"))
    # stop() returned within the bound: the short run finished, the long one went back.
    assert job_row(queue_url, short)[0] == "succeeded"
    assert job_row(queue_url, long)[:2] == ("todo", 1)
    assert done_labels(queue_url) == ["slept 0.5"]
    assert sql(queue_url, "SELECT count(*) FROM procrastinate_workers")[0][0] == 0


async def test_a_job_of_a_worker_that_stopped_beating_is_queued_again(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", always_fails)])
    job_id = await runtime.queue().record.submit()
    # A worker took it, then died without a word (its heartbeat froze a minute ago).
    sql(
        queue_url,
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 minute')",
    )
    sql(
        queue_url,
        "UPDATE procrastinate_jobs SET status = 'doing',"
        " worker_id = (SELECT max(id) FROM procrastinate_workers) WHERE id = %s",
        job_id,
    )
    maintenance = Maintenance(runtime, runtime.decls, stalled_after=30, retention=Retention())
    report = await maintenance.run_round()
    assert report.ran and report.retried == (job_id,) and len(report.pruned_workers) == 1
    assert job_row(queue_url, job_id)[:2] == ("todo", 1)
    # A job that keeps killing its workers stops after CRASH_RETRIES.
    sql(
        queue_url,
        "UPDATE procrastinate_jobs SET status = 'doing', attempts = 3, worker_id = NULL"
        " WHERE id = %s",
        job_id,
    )
    report = await maintenance.run_round()
    assert report.failed == (job_id,)
    assert job_row(queue_url, job_id)[0] == "failed"


async def test_only_one_worker_does_a_maintenance_round_at_a_time(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", always_fails)])
    maintenance = Maintenance(runtime, runtime.decls, stalled_after=30, retention=Retention())
    async with runtime.pool.connection() as holder:
        await holder.execute("SELECT pg_advisory_lock(hashtext('sentinel.jobs.maintenance'))")
        assert (await maintenance.run_round()).ran is False
        await holder.execute("SELECT pg_advisory_unlock(hashtext('sentinel.jobs.maintenance'))")
    assert (await maintenance.run_round()).ran is True


async def test_finished_jobs_are_deleted_after_their_retention(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    from datetime import timedelta

    runtime = await make_runtime([Job("record", always_fails)])
    ids = [await runtime.queue().record.submit(i) for i in range(4)]
    statuses = ["succeeded", "failed", "failed", "todo"]
    for job_id, status in zip(ids, statuses, strict=True):
        sql(queue_url, "UPDATE procrastinate_jobs SET status = %s WHERE id = %s", status, job_id)
    # The first two finished 10 days ago, the third 40 days ago; the fourth waits since 40.
    for job_id, age in zip(ids, [10, 10, 40, 40], strict=True):
        sql(
            queue_url,
            "UPDATE procrastinate_events SET at = now() - make_interval(days => %s)"
            " WHERE job_id = %s",
            age,
            job_id,
        )
    retention = Retention(finished=timedelta(days=7), failed=timedelta(days=30))
    maintenance = Maintenance(runtime, runtime.decls, stalled_after=30, retention=retention)
    report = await maintenance.run_round()
    assert report.deleted == 2
    left = [row[0] for row in sql(queue_url, "SELECT id FROM procrastinate_jobs ORDER BY id")]
    assert left == [ids[1], ids[3]]  # a failed job within 30 days, and the waiting one

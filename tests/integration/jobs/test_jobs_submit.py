"""Submitting: inside the caller's transaction, singleton, priority, delays, lookups."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from sentinel_spec.contract.declarations import Job, JobOptions
from sentinel_spec.runtime.jobs.errors import JobAlreadyQueued, UnknownJob
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


async def record(args: Any, context: Any) -> None:
    """A perform function: one ``done`` row per successful run."""
    context.session.add(Done(job_id=context.job.id, label=str(args), attempt=context.job.attempt))


async def test_a_job_submitted_in_a_rolled_back_transaction_never_exists(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", record)])
    assert runtime.database is not None

    class ActionFailed(Exception):
        pass

    with pytest.raises(ActionFailed):
        async with runtime.database.scope() as scope:
            job_id = await runtime.queue(scope).record.submit("rolled back")
            assert job_id > 0  # visible inside the transaction ...
            raise ActionFailed
    assert sql(queue_url, "SELECT count(*) FROM procrastinate_jobs")[0][0] == 0  # ... only

    async with runtime.database.scope() as scope:
        kept = await runtime.queue(scope).record.submit("committed")
    async with running(runtime):
        await wait_for(lambda: done_labels(queue_url))
    assert done_labels(queue_url) == ["committed"]
    record_ = await runtime.get(kept)
    assert record_ is not None and record_.status is JobStatus.SUCCEEDED


async def test_a_query_unit_of_work_submits_in_its_transaction_too(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    # A query's unit of work (read_scope) starts without a transaction; a submit (SQL on
    # the driver's own connection) must begin one, plain and singleton alike.
    job = Job("digest", record, options=JobOptions(singleton_key="daily"))
    runtime = await make_runtime([Job("record", record), job])
    database: Any = runtime.database
    with pytest.raises(RuntimeError):
        async with database.read_scope() as scope:
            await scope.session.execute(select(Done))
            await runtime.queue(scope).record.submit("rolled back")
            await runtime.queue(scope).digest.submit("rolled back too")
            raise RuntimeError("the query failed")
    assert sql(queue_url, "SELECT count(*) FROM procrastinate_jobs")[0][0] == 0
    async with database.read_scope() as scope:
        await runtime.queue(scope).digest.submit("kept")
    assert sql(queue_url, "SELECT count(*) FROM procrastinate_jobs")[0][0] == 1


async def test_submit_commits_with_the_caller_and_notifies_an_idle_worker_at_commit(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", record)])
    assert runtime.database is not None
    async with running(runtime, poll_interval=30):  # no polling: only NOTIFY can wake it
        async with runtime.database.scope() as scope:
            await runtime.queue(scope).record.submit("a")
            await asyncio.sleep(0.5)
            assert done_labels(queue_url) == []  # not committed yet: not visible, not run
        await wait_for(lambda: done_labels(queue_url), timeout=5)
    assert done_labels(queue_url) == ["a"]


async def test_unbound_submit_is_its_own_transaction(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", record)])
    job_id = await runtime.queue().record.submit({"plain": "code"})
    rows = sql(queue_url, "SELECT task_name, args FROM procrastinate_jobs WHERE id = %s", job_id)
    assert rows == [("record", {"args": {"plain": "code"}})]


async def test_args_use_the_runtime_json_forms(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    runtime = await make_runtime([Job("record", record)])
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    job_id = await runtime.queue().record.submit({"at": moment})
    rows = sql(queue_url, "SELECT args FROM procrastinate_jobs WHERE id = %s", job_id)
    assert rows[0][0] == {"args": {"at": "2026-01-02T03:04:05+00:00"}}


async def test_singleton_refuses_a_second_waiting_run_without_breaking_the_transaction(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    job = Job("digest", record, options=JobOptions(singleton_key="daily"))
    runtime = await make_runtime([job])
    assert runtime.database is not None
    async with runtime.database.scope() as scope:
        first = await runtime.queue(scope).digest.submit(1)
        with pytest.raises(JobAlreadyQueued):
            await runtime.queue(scope).digest.submit(2)
        # The transaction is still usable and commits the first submit.
        await scope.session.execute(text("SELECT 1"))
    with pytest.raises(JobAlreadyQueued):
        await runtime.queue().digest.submit(3)
    rows = sql(queue_url, "SELECT id, queueing_lock, lock FROM procrastinate_jobs")
    assert rows == [(first, "digest:daily", "digest:daily")]
    async with running(runtime):
        await wait_for(lambda: done_labels(queue_url))
    # Once the waiting run has started, another may wait again.
    await runtime.queue().digest.submit(4)


async def test_higher_priority_runs_first(make_runtime: RuntimeFactory, queue_url: str) -> None:
    low = Job("low", record, options=JobOptions(priority=0))
    high = Job("high", record, options=JobOptions(priority=10))
    runtime = await make_runtime([low, high])
    queue = runtime.queue()
    for index in range(3):
        await queue.low.submit(f"low{index}")
    for index in range(3):
        await queue.high.submit(f"high{index}")
    async with running(runtime, concurrency=1):
        await wait_for(lambda: len(done_labels(queue_url)) == 6)
    assert done_labels(queue_url) == ["high0", "high1", "high2", "low0", "low1", "low2"]


async def test_delay_and_start_after_set_when_a_job_may_start(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    later = Job("later", record, options=JobOptions(start_after_seconds=600))
    dated = Job("dated", record, options=JobOptions(start_after_date="2999-01-01T00:00:00Z"))
    past = Job("past", record, options=JobOptions(start_after_date="2000-01-01"))
    runtime = await make_runtime([later, dated, past])
    queue = runtime.queue()
    before = datetime.now(UTC)
    ids = {
        "later": await queue.later.submit(),
        "override": await queue.later.submit(delay=timedelta(seconds=30)),
        "seconds": await queue.later.submit(delay=5),
        "dated": await queue.dated.submit(),
        "past": await queue.past.submit(),
    }
    scheduled = {
        name: sql(queue_url, "SELECT scheduled_at FROM procrastinate_jobs WHERE id = %s", i)[0][0]
        for name, i in ids.items()
    }
    assert abs((scheduled["later"] - before).total_seconds() - 600) < 5
    assert abs((scheduled["override"] - before).total_seconds() - 30) < 5
    assert abs((scheduled["seconds"] - before).total_seconds() - 5) < 5
    assert scheduled["dated"] == datetime(2999, 1, 1, tzinfo=UTC)
    assert scheduled["past"] is None  # a date already passed: right away
    async with running(runtime):
        await wait_for(lambda: done_labels(queue_url))
        await asyncio.sleep(0.5)
    assert done_labels(queue_url) == ["None"]  # only the "past" one was due


async def test_status_cancel_and_abort(make_runtime: RuntimeFactory, queue_url: str) -> None:
    started = asyncio.Event()

    async def slow(args: Any, context: Any) -> None:
        started.set()
        await asyncio.sleep(60)

    runtime = await make_runtime([Job("slow", slow), Job("record", record)])
    queue = runtime.queue()
    waiting = await queue.record.submit("never", delay=600)
    assert await queue.slow.get(waiting) is None  # a handle only sees its own job's runs
    found = await queue.record.get(waiting)
    assert found is not None and found.status is JobStatus.TODO and found.args == "never"
    assert await queue.record.cancel(waiting) is True
    assert (await runtime.get(waiting)).status is JobStatus.CANCELLED  # type: ignore[union-attr]
    assert await queue.record.cancel(waiting) is False  # already finished

    async with running(runtime):
        job_id = await queue.slow.submit()
        await asyncio.wait_for(started.wait(), 10)
        assert await queue.slow.cancel(job_id) is False  # running: cancel only stops waiting
        assert await queue.slow.abort(job_id) is True

        async def aborted() -> bool:
            record_ = await runtime.get(job_id)
            return record_ is not None and record_.status is JobStatus.ABORTED

        await wait_for(aborted, timeout=10)
    assert await queue.slow.get(12345678) is None


async def test_an_undeclared_job_names_the_declared_ones(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime([Job("record", record)])
    with pytest.raises(UnknownJob, match="declares: `record`"):
        runtime.queue().sendDigest  # noqa: B018


async def test_a_job_sees_its_context_and_commits_only_on_success(
    make_runtime: RuntimeFactory, queue_url: str
) -> None:
    seen: dict[str, Any] = {}

    async def inspect(args: Any, context: Any) -> None:
        seen["job"] = context.job
        seen["request"] = context.request
        seen["request_id"] = context.request_id
        seen["done_model"] = context.entities.Done
        context.session.add(Done(job_id=context.job.id, label="inspect"))
        await context.jobs.record.submit("follow-up")  # joins this job's transaction
        if args == "fail":
            raise RuntimeError("boom")

    runtime = await make_runtime(
        [Job("inspect", inspect, entities={"Done": Done}), Job("record", record)]
    )
    queue = runtime.queue()
    async with running(runtime):
        failing = await queue.inspect.submit("fail")
        await wait_for(lambda: _status(queue_url, failing) == "failed")
        ok = await queue.inspect.submit("ok")
        await wait_for(lambda: sorted(done_labels(queue_url)) == ["follow-up", "inspect"])
    assert seen["job"].id == ok and seen["job"].name == "inspect" and seen["job"].attempt == 1
    assert seen["request"] is None and seen["request_id"] == f"job-{ok}"
    assert seen["done_model"] is Done
    # The failed run's row and follow-up submit were rolled back with it.
    assert (
        sql(queue_url, "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'record'")[0][0]
        == 1
    )
    assert runtime.database is not None
    async with runtime.database.scope() as scope:
        rows = (await scope.session.execute(select(Done.job_id))).scalars().all()
    assert ok in rows and failing not in rows


def _status(url: str, job_id: int) -> str | None:
    rows = sql(url, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", job_id)
    return rows[0][0] if rows else None

"""A failed job attempt is reported to Sentry: a real sentry-sdk envelope, received by the
loopback ingest endpoint (tests/loopback.py), from the error reporter the jobs feature
installs on ``JobRuntime`` when the app declares ``app.server.sentry``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sentinel_spec.contract.declarations import AppDecl, Job, JobOptions, Sentry
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.observability import sentry
from tests.integration.jobs.conftest import running, wait_for
from tests.loopback import SentryStub, sentry_stub
from tests.loopback import wait_for as wait_sync

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def explodes(args: Any, context: Any) -> None:
    raise RuntimeError(f"digest for {args['workspace']} failed on attempt {context.job.attempt}")


@pytest.fixture
def stub() -> Iterator[SentryStub]:
    with sentry_stub() as stub:
        yield stub


async def test_each_failed_attempt_is_an_event(queue_url: str, stub: SentryStub) -> None:
    decl = AppDecl(
        name="JobsSentry",
        title="Jobs and Sentry",
        jobs=(Job("sendDigest", explodes, options=JobOptions(retry_limit=1)),),
        sentry=Sentry(dsn=stub.dsn, environment="test"),
    )
    app = create_app(decl, environ={"DATABASE_URL": queue_url}, dotenv=None)
    runtime = app.state.sentinel.services.jobs
    assert sentry.report_job_failure in runtime.error_reporters
    async with app.router.lifespan_context(app):
        job_id = await runtime.queue().sendDigest.submit({"workspace": "w1"})
        async with running(runtime):
            # Both attempts ran (retryLimit 1, no delay), then the job stayed failed.
            await wait_for(lambda: _status(runtime, job_id), timeout=30)
    sentry.flush()
    events = wait_sync(lambda: len(stub.events()) >= 2 and stub.events(), what="two events")
    # One event per attempt, no more: the failure's log lines are not events of their own.
    assert len(events) == 2, [e.get("message") or e.get("logentry") for e in events]
    attempts = sorted(e["tags"]["attempt"] for e in events)
    assert attempts == ["1", "2"]
    for event in events:
        assert event["tags"]["kind"] == "job" and event["tags"]["job_name"] == "sendDigest"
        assert event["tags"]["job_id"] == str(job_id)
        assert event["tags"]["request_id"] == f"job-{job_id}"
        (exception,) = event["exception"]["values"][-1:]
        assert exception["type"] == "RuntimeError" and "digest for w1" in exception["value"]


async def _status(runtime: Any, job_id: int) -> bool:
    record = await runtime.get(job_id)
    return record is not None and record.status.value == "failed"

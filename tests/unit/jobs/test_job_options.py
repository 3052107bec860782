"""PgBoss options as procrastinate settings, and cron ticks: pure functions, no services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from procrastinate.jobs import Job as ProcrastinateJob

from sentinel_spec.contract.jobs import JobOptions
from sentinel_spec.runtime.errors import ServiceUnavailable
from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs.cron import latest_tick, next_tick
from sentinel_spec.runtime.jobs.errors import JobReleased

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def job(attempts: int) -> ProcrastinateJob:
    return ProcrastinateJob(
        queue="default", lock=None, queueing_lock=None, task_name="t", attempts=attempts
    )


def wait_of(policy: opts.RetryPolicy, attempts: int, error: BaseException) -> float | None:
    decision = policy.get_retry_decision(exception=error, job=job(attempts))
    if decision is None:
        return None
    assert decision.retry_at is not None
    return round((decision.retry_at - datetime.now(UTC)).total_seconds())


def test_backoff_doubles_the_delay_and_stops_at_the_limit() -> None:
    policy = opts.RetryPolicy(JobOptions(retry_limit=3, retry_delay_seconds=10, retry_backoff=True))
    waits = [wait_of(policy, attempts, ValueError()) for attempts in range(4)]
    assert waits == [10, 20, 40, None]


def test_backoff_without_a_delay_starts_at_one_second() -> None:
    policy = opts.RetryPolicy(JobOptions(retry_limit=2, retry_backoff=True))
    assert [wait_of(policy, a, ValueError()) for a in range(2)] == [1, 2]


def test_a_released_run_always_goes_back_and_an_outage_has_its_own_allowance() -> None:
    policy = opts.RetryPolicy(JobOptions())  # no retries at all
    assert wait_of(policy, 0, ValueError()) is None
    assert wait_of(policy, 5, JobReleased("shutdown")) == 0
    assert wait_of(policy, 0, ServiceUnavailable()) == 2
    assert wait_of(policy, opts.CRASH_RETRIES, ServiceUnavailable()) is None


@pytest.mark.parametrize(
    ("options", "delay", "expected"),
    [
        (JobOptions(), None, None),
        (JobOptions(), 0, None),
        (JobOptions(start_after_seconds=60), None, NOW + timedelta(seconds=60)),
        (JobOptions(start_after_seconds=60), timedelta(seconds=5), NOW + timedelta(seconds=5)),
        (JobOptions(start_after_date="2026-03-03"), None, datetime(2026, 3, 3, tzinfo=UTC)),
        (JobOptions(start_after_date="2026-03-01T09:00:00+01:00"), None, None),  # passed
    ],
)
def test_when_a_submitted_run_may_start(
    options: JobOptions, delay: float | timedelta | None, expected: datetime | None
) -> None:
    assert opts.scheduled_at(options, delay, NOW) == expected


def test_singleton_locks_are_per_job() -> None:
    assert opts.lock_of("digest", JobOptions(singleton_key="k")) == "digest:k"
    assert opts.lock_of("digest", JobOptions()) is None


def test_ticks_honour_the_timezone_and_daylight_saving() -> None:
    paris = ZoneInfo("Europe/Paris")
    # The night clocks go forward (2026-03-29), 09:00 Paris moves from 08:00 to 07:00 UTC.
    assert next_tick("0 9 * * *", paris, datetime(2026, 3, 28, 12, tzinfo=UTC)) == datetime(
        2026, 3, 29, 7, tzinfo=UTC
    )
    assert latest_tick("0 9 * * *", paris, datetime(2026, 3, 28, 8, tzinfo=UTC)) == datetime(
        2026, 3, 28, 8, tzinfo=UTC
    )
    assert next_tick("*/15 * * * *", ZoneInfo("UTC"), NOW) == NOW + timedelta(minutes=15)

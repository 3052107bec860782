"""PgBoss executor options (``JobOptions``) as procrastinate settings.

| pgBoss option     | here                                                             |
|-------------------|------------------------------------------------------------------|
| retryLimit        | retries after the first run (``RetryPolicy``)                    |
| retryDelay        | seconds before a retry                                           |
| retryBackoff      | delay doubles each retry: delay * 2**(attempt - 1), delay >= 1 s  |
| expireInSeconds   | a run longer than this is cancelled, fails, and may be retried   |
| singletonKey      | queueing lock and lock ``<job>:<key>``: one waiting, one running  |
| priority          | higher runs first                                                |
| queue             | the queue a worker started with ``--queue`` takes jobs from      |
| startAfter        | seconds after submit, or an ISO date: not run before             |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from procrastinate import retry
from procrastinate.jobs import Job as ProcrastinateJob

from sentinel_spec.contract.jobs import JobOptions
from sentinel_spec.runtime.jobs.errors import JobReleased

DEFAULT_QUEUE = "default"
# A run that dies with its worker (SIGKILL, out of memory, lost machine) is retried even
# when the job has no retries left, this many times more: a crash is not the job's fault,
# but a job that kills every worker it lands on must stop somewhere.
CRASH_RETRIES = 3


# A run cut off by a database outage waits this long times its attempt number.
OUTAGE_RETRY_SECONDS = 2.0


def is_outage(error: BaseException) -> bool:
    """The run failed because the database could not be reached (a restart, a failover)."""
    from sentinel_spec.runtime.db.failures import is_connection_failure
    from sentinel_spec.runtime.errors import ServiceUnavailable

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ServiceUnavailable) or is_connection_failure(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def queue_of(options: JobOptions) -> str:
    return options.queue or DEFAULT_QUEUE


def lock_of(name: str, options: JobOptions) -> str | None:
    """PgBoss's singletonKey is per job name, so the lock is namespaced by it."""
    return None if options.singleton_key is None else f"{name}:{options.singleton_key}"


def parse_start_after(value: str) -> datetime:
    """An ISO date or date-time; naive means UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def scheduled_at(
    options: JobOptions, delay: float | timedelta | None, now: datetime
) -> datetime | None:
    """When a job submitted at ``now`` may start; None: right away.

    An explicit ``delay`` wins over ``startAfter``.
    """
    if delay is not None:
        seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
        return now + timedelta(seconds=seconds) if seconds > 0 else None
    if options.start_after_seconds:
        return now + timedelta(seconds=options.start_after_seconds)
    if options.start_after_date:
        start = parse_start_after(options.start_after_date)
        return start if start > now else None
    return None


def retry_delay(options: JobOptions, attempt: int) -> float:
    """Seconds to wait before retrying after failed attempt number ``attempt`` (1-based)."""
    delay = float(options.retry_delay_seconds)
    if options.retry_backoff:
        return max(delay, 1.0) * 2.0 ** (attempt - 1)
    return delay


@dataclass
class RetryPolicy(retry.BaseRetryStrategy):
    """procrastinate's retry hook with PgBoss's meaning of the options."""

    options: JobOptions

    def get_retry_decision(
        self, *, exception: BaseException, job: ProcrastinateJob
    ) -> retry.RetryDecision | None:
        if isinstance(exception, JobReleased):  # shutdown: back in the queue, at once
            return _decision(datetime.now(UTC))
        attempt = job.attempts + 1  # the run that just failed
        if is_outage(exception):  # the database went away under it: not the job's fault
            if attempt > self.options.retry_limit + CRASH_RETRIES:
                return None
            wait = OUTAGE_RETRY_SECONDS * attempt
        elif attempt > self.options.retry_limit:
            return None
        else:
            wait = retry_delay(self.options, attempt)
        return _decision(datetime.now(UTC) + timedelta(seconds=wait))


def _decision(retry_at: datetime) -> retry.RetryDecision:
    return retry.RetryDecision(retry_at=retry_at)

"""A job's executor options (``executorOptions.pgBoss`` in the spec), shared as one type by
the compiler's AppSpec and the runtime's declarations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobOptions:
    retry_limit: int = 0
    retry_delay_seconds: int = 0
    retry_backoff: bool = False
    expire_in_seconds: int | None = None
    singleton_key: str | None = None
    priority: int = 0
    queue: str | None = None
    start_after_seconds: int | None = None
    # ``startAfter`` given as an ISO date or date-time (naive means UTC).
    start_after_date: str | None = None


DAY = 86400


@dataclass(frozen=True)
class JobsConfig:
    """``app.jobs``: how long finished jobs stay listed before they are deleted."""

    retention_seconds: int = 7 * DAY  # succeeded, cancelled and aborted jobs
    failed_retention_seconds: int = 30 * DAY  # failed jobs (kept longer: to retry them)

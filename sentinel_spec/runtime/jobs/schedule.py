"""``schedule.cron``: each tick deferred once, however many workers run.

Every worker runs a ``CronScheduler``. For each tick that has come (in the job's own
``schedule.timezone``: procrastinate's periodic tasks only know UTC) it asks the database
to defer the run through procrastinate's ``defer_periodic_job``, which records
(job, tick) under a unique constraint: the first worker's insert wins, the others' are
no-ops. A scheduler that starts late defers the latest missed tick if it is at most
``max_delay`` old (a worker restart does not skip the nightly job), never a backlog.

The clock is injectable (``clock``), and ``tick(now)`` does one round at a given time,
which is how tests drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import psycopg
from psycopg.types.json import Jsonb

from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs.cron import cron_problem, latest_tick, next_tick
from sentinel_spec.runtime.serialization import dumps

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import Job
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

log = logging.getLogger("sentinel.jobs.cron")

Clock = Callable[[], datetime]
PERIODIC_ID = "cron"
MAX_DELAY = timedelta(minutes=10)
# Wake at least this often: a clock change or a suspended laptop never strands a tick.
MAX_SLEEP = 60.0


# procrastinate keeps only the latest (job, tick) record, so a tick is deferred only if no
# worker has deferred it or a later one; the lock makes that check and the insert atomic.
_TICK_LOCK = "SELECT pg_advisory_xact_lock(hashtext(%(key)s))"
_DEFER_TICK = """
SELECT CASE
    WHEN EXISTS (SELECT 1 FROM procrastinate_periodic_defers
                  WHERE task_name = %(task_name)s AND periodic_id = %(periodic_id)s
                    AND defer_timestamp >= %(timestamp)s)
    THEN NULL
    ELSE procrastinate_defer_periodic_job_v2(
        %(queue)s, %(lock)s, %(queueing_lock)s, %(task_name)s, %(priority)s,
        %(periodic_id)s, %(timestamp)s, %(args)s)
END
"""


def _dumps(value: Any) -> str:
    return dumps(value).decode("utf-8")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CronEntry:
    job: Job
    cron: str
    zone: ZoneInfo

    def next_after(self, moment: datetime) -> datetime:
        return next_tick(self.cron, self.zone, moment)

    def latest_at_or_before(self, moment: datetime) -> datetime:
        return latest_tick(self.cron, self.zone, moment)


def _entry(job: Job) -> CronEntry:
    assert job.cron is not None
    problem = cron_problem(job.cron)
    if problem is not None:  # the compiler refuses these; a hand-made declaration may not
        raise ValueError(f"job {job.name}: invalid cron expression {job.cron!r}: {problem}")
    return CronEntry(job, job.cron, ZoneInfo(job.timezone or "UTC"))


class CronScheduler:
    def __init__(
        self,
        runtime: JobRuntime,
        jobs: Sequence[Job],
        *,
        clock: Clock = utc_now,
        max_delay: timedelta = MAX_DELAY,
    ) -> None:
        self.runtime = runtime
        self.clock = clock
        self.max_delay = max_delay
        self.entries = [_entry(job) for job in jobs if job.cron is not None]
        self._last: dict[str, datetime] = {}  # job name -> latest tick handled

    def due(self, now: datetime) -> list[tuple[CronEntry, datetime]]:
        """Ticks that have come since the last round (marks them handled)."""
        found: list[tuple[CronEntry, datetime]] = []
        for entry in self.entries:
            last = self._last.get(entry.job.name)
            if last is None:
                tick = entry.latest_at_or_before(now)
                if now - tick <= self.max_delay:
                    found.append((entry, tick))
                self._last[entry.job.name] = tick
                continue
            tick = entry.next_after(last)
            while tick <= now:
                found.append((entry, tick))
                last = tick
                tick = entry.next_after(tick)
            self._last[entry.job.name] = last
        return found

    def next_tick(self, now: datetime) -> datetime | None:
        ticks = [entry.next_after(now) for entry in self.entries]
        return min(ticks) if ticks else None

    async def tick(self, now: datetime | None = None) -> list[int]:
        """One round at ``now`` (default: the clock): defer the due ticks; returns the ids
        of the runs this scheduler deferred (a tick another worker deferred is skipped)."""
        moment = self.clock() if now is None else now
        deferred: list[int] = []
        for entry, tick in self.due(moment):
            job_id = await self._defer(entry, tick)
            if job_id is not None:
                deferred.append(job_id)
        return deferred

    async def _defer(self, entry: CronEntry, tick: datetime) -> int | None:
        decl = entry.job
        timestamp = int(tick.timestamp())
        lock = opts.lock_of(decl.name, decl.options)
        params = {
            "queue": opts.queue_of(decl.options),
            "lock": lock,
            "queueing_lock": lock,
            "task_name": decl.name,
            "priority": decl.options.priority,
            "periodic_id": PERIODIC_ID,
            "timestamp": timestamp,
            "args": Jsonb({"args": decl.cron_args, "timestamp": timestamp}, dumps=_dumps),
        }
        try:
            async with self.runtime.pool.connection() as connection:  # one transaction
                await connection.execute(_TICK_LOCK, {"key": f"sentinel.cron:{decl.name}"})
                cursor = await connection.execute(_DEFER_TICK, params)
                row = await cursor.fetchone()
        except psycopg.errors.UniqueViolation:  # its singletonKey: a run is still waiting
            log.info("cron %s at %s skipped: a run is already queued", decl.name, tick)
            return None
        job_id: int | None = None if row is None else row[0]
        if job_id is not None:
            log.info("cron %s deferred for %s as job %s", decl.name, tick.isoformat(), job_id)
        return job_id

    async def run(self, stop: asyncio.Event) -> None:
        """Defer ticks as they come until ``stop`` is set."""
        if not self.entries:
            return
        while not stop.is_set():
            now = self.clock()
            await self.tick(now)
            upcoming = self.next_tick(now)
            wait = MAX_SLEEP if upcoming is None else (upcoming - self.clock()).total_seconds()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(max(wait, 0.05), MAX_SLEEP))

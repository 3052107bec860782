"""Housekeeping every worker offers and one at a time does: nothing lost, nothing kept forever.

- A job left ``doing`` by a worker whose heartbeat stopped (SIGKILL, out of memory, a
  lost machine) is put back in the queue, even without retries left (up to
  ``CRASH_RETRIES`` more times), or failed when it keeps killing its workers.
- Workers whose heartbeat stopped are removed.
- Finished jobs older than the retention are deleted: succeeded, cancelled and aborted
  ones after ``retention``, failed ones after ``failed_retention``.

A session-level advisory lock held for the round makes one worker do it at a time;
the others skip the round.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from procrastinate import sql

from sentinel_spec.runtime.jobs import options as opts

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import Job
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

log = logging.getLogger("sentinel.jobs.maintenance")

# hashtext('sentinel.jobs.maintenance') is computed by the server: same key everywhere.
_LOCK = "SELECT pg_try_advisory_lock(hashtext('sentinel.jobs.maintenance')) AS locked"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext('sentinel.jobs.maintenance'))"
_RETRY = "SELECT procrastinate_retry_job_v2(%(id)s, now(), NULL, NULL, NULL)"
_FAIL = "SELECT procrastinate_finish_job_v1(%(id)s, 'failed', false)"
_DELETE_FINISHED = """
DELETE FROM procrastinate_jobs j
 WHERE j.status = ANY(%(statuses)s::procrastinate_job_status[])
   AND NOT EXISTS (
       SELECT 1 FROM procrastinate_events e
        WHERE e.job_id = j.id AND e.at > now() - make_interval(secs => %(seconds)s))
"""


@dataclass(frozen=True)
class Retention:
    """How long finished jobs stay listed (``app.jobs.retention`` / ``failedRetention``)."""

    finished: timedelta = timedelta(days=7)
    failed: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class RoundReport:
    ran: bool  # False: another worker held the lock
    retried: tuple[int, ...] = ()
    failed: tuple[int, ...] = ()
    pruned_workers: tuple[int, ...] = ()
    deleted: int = 0


class Maintenance:
    def __init__(
        self,
        runtime: JobRuntime,
        jobs: Mapping[str, Job],
        *,
        stalled_after: float,
        retention: Retention,
    ) -> None:
        self.runtime = runtime
        self.jobs = jobs
        self.stalled_after = stalled_after
        self.retention = retention

    async def run_round(self, *, prune: bool = True) -> RoundReport:
        async with self.runtime.pool.connection() as connection:
            await connection.set_autocommit(True)
            cursor = await connection.execute(_LOCK)
            row = await cursor.fetchone()
            if row is None or not row[0]:
                return RoundReport(ran=False)
            try:
                retried, failed = await self._recover_stalled(connection)
                pruned = await self._prune_workers(connection)
                deleted = await self._delete_finished(connection) if prune else 0
            finally:
                await connection.execute(_UNLOCK)
        return RoundReport(True, tuple(retried), tuple(failed), tuple(pruned), deleted)

    async def _recover_stalled(self, connection: Any) -> tuple[list[int], list[int]]:
        cursor = await connection.execute(
            sql.queries["select_stalled_jobs_by_heartbeat"],
            {"queue": None, "task_name": None, "seconds_since_heartbeat": self.stalled_after},
        )
        retried: list[int] = []
        failed: list[int] = []
        for row in await cursor.fetchall():
            job_id, task_name, attempts = row[0], row[2], row[9]
            decl = self.jobs.get(task_name)
            limit = decl.options.retry_limit if decl is not None else 0
            if attempts < limit + opts.CRASH_RETRIES:
                await connection.execute(_RETRY, {"id": job_id})
                retried.append(job_id)
                log.warning(
                    "job %s[%s] was running on a worker that stopped answering: queued again",
                    task_name,
                    job_id,
                )
            else:
                await connection.execute(_FAIL, {"id": job_id})
                failed.append(job_id)
                log.error(
                    "job %s[%s] stalled its worker %d times: failed (`sentinel jobs retry %s`)",
                    task_name,
                    job_id,
                    attempts + 1,
                    job_id,
                )
        return retried, failed

    async def _prune_workers(self, connection: Any) -> list[int]:
        cursor = await connection.execute(
            sql.queries["prune_stalled_workers"],
            {"seconds_since_heartbeat": self.stalled_after},
        )
        return [row[0] for row in await cursor.fetchall()]

    async def _delete_finished(self, connection: Any) -> int:
        deleted = 0
        for statuses, age in (
            (["succeeded", "cancelled", "aborted"], self.retention.finished),
            (["failed"], self.retention.failed),
        ):
            cursor = await connection.execute(
                _DELETE_FINISHED, {"statuses": statuses, "seconds": age.total_seconds()}
            )
            deleted += cursor.rowcount or 0
        if deleted:
            log.info("deleted %d finished job(s) past their retention", deleted)
        return deleted

"""What the queue says about a job: ``JobRecord`` rows and ``QueueHealth``, and the SQL
behind them (procrastinate's tables, read directly: its own list query has no times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    """procrastinate's statuses: ``todo`` waiting, ``doing`` running, then one of the rest."""

    TODO = "todo"
    DOING = "doing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ABORTED = "aborted"


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.ABORTED)


@dataclass(frozen=True)
class JobRecord:
    id: int
    name: str
    status: JobStatus
    queue: str
    priority: int
    attempts: int  # runs that ended so far (failed, released or finished)
    args: Any
    scheduled_at: datetime | None  # not before this (a delay, startAfter, or a retry's wait)
    created_at: datetime | None
    started_at: datetime | None  # the latest run's start
    finished_at: datetime | None
    abort_requested: bool = False

    def as_json(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id,
            "name": self.name,
            "status": self.status.value,
            "queue": self.queue,
            "priority": self.priority,
            "attempts": self.attempts,
            "args": self.args,
            "scheduledAt": iso(self.scheduled_at),
            "createdAt": iso(self.created_at),
            "startedAt": iso(self.started_at),
            "finishedAt": iso(self.finished_at),
            "abortRequested": self.abort_requested,
        }


@dataclass(frozen=True)
class QueueHealth:
    """The queue's state for ``GET /api/health`` and ``sentinel jobs list``."""

    counts: dict[str, int]  # per status
    workers: int  # workers whose heartbeat is recent
    oldest_due_seconds: float | None  # how long the oldest runnable job has waited

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "workers": self.workers,
            "oldestDueSeconds": self.oldest_due_seconds,
        }


LIST_QUERY = """
SELECT j.id, j.task_name, j.status, j.queue_name, j.priority, j.attempts, j.args,
       j.scheduled_at, j.abort_requested,
       (SELECT min(e.at) FROM procrastinate_events e
         WHERE e.job_id = j.id AND e.type = 'deferred') AS created_at,
       (SELECT max(e.at) FROM procrastinate_events e
         WHERE e.job_id = j.id AND e.type = 'started') AS started_at,
       (SELECT max(e.at) FROM procrastinate_events e
         WHERE e.job_id = j.id
           AND e.type IN ('succeeded', 'failed', 'cancelled', 'aborted')
           AND j.status IN ('succeeded', 'failed', 'cancelled', 'aborted')) AS finished_at
  FROM procrastinate_jobs j
 WHERE (%(id)s::bigint IS NULL OR j.id = %(id)s)
   AND (%(status)s::procrastinate_job_status IS NULL OR j.status = %(status)s)
   AND j.task_name = ANY(%(names)s::varchar[])
 ORDER BY j.id DESC
 LIMIT %(limit)s
"""

HEALTH_QUERY = """
SELECT (SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
          FROM (SELECT status, count(*) AS n FROM procrastinate_jobs GROUP BY status) s)
           AS counts,
       (SELECT count(*) FROM procrastinate_workers
         WHERE last_heartbeat > now() - make_interval(secs => %(alive_seconds)s)) AS workers,
       (SELECT extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at)))
          FROM procrastinate_jobs j
          LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
         WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now()))
           AS oldest_due_seconds
"""


def record_from_row(row: dict[str, Any]) -> JobRecord:
    args = row["args"] or {}
    return JobRecord(
        id=row["id"],
        name=row["task_name"],
        status=JobStatus(row["status"]),
        queue=row["queue_name"],
        priority=row["priority"],
        attempts=row["attempts"],
        args=args.get("args"),
        scheduled_at=row["scheduled_at"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        abort_requested=row["abort_requested"],
    )


def health_from_row(row: dict[str, Any]) -> QueueHealth:
    counts = {status.value: 0 for status in JobStatus}
    counts.update({str(k): int(v) for k, v in (row["counts"] or {}).items()})
    counts.pop("aborting", None)  # legacy status, never used since procrastinate 3
    oldest = row["oldest_due_seconds"]
    return QueueHealth(
        counts=counts,
        workers=int(row["workers"]),
        oldest_due_seconds=None if oldest is None else max(0.0, float(oldest)),
    )

"""``JobRuntime``: an app's declared jobs as procrastinate tasks on its PostgreSQL.

It owns the procrastinate ``App`` and the connection pool the queue uses (separate from
the app's SQLAlchemy engine: LISTEN and the worker's polling must not take request
connections), registers a ``JobRunner`` per ``job`` declaration, and answers the
queue-wide questions the CLI and ``/api/health`` ask: list, get, retry, cancel, health.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.job_context import JobContext
from psycopg_pool import AsyncConnectionPool

from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs import schema
from sentinel_spec.runtime.jobs.errors import JobQueueNotReady, UnknownJob
from sentinel_spec.runtime.jobs.maintenance import Retention
from sentinel_spec.runtime.jobs.queue import JobQueue
from sentinel_spec.runtime.jobs.records import (
    HEALTH_QUERY,
    LIST_QUERY,
    JobRecord,
    JobStatus,
    QueueHealth,
    health_from_row,
    record_from_row,
)
from sentinel_spec.runtime.jobs.runner import ErrorReporter, JobRunner
from sentinel_spec.runtime.jobs.session_connection import SessionAwareConnector

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import Job
    from sentinel_spec.runtime.state import DatabaseLike, Services, SessionScopeLike

log = logging.getLogger("sentinel.jobs")

# A failed job back in the queue, now. Not procrastinate's retry_job, which counts one
# more attempt than ran; and with a NOTIFY, so an idle worker starts it at once.
RETRY_FAILED = """
WITH retried AS (
    UPDATE procrastinate_jobs SET status = 'todo', scheduled_at = NULL, abort_requested = false
     WHERE id = %(id)s AND status = 'failed'
 RETURNING id, queue_name)
SELECT pg_notify(channel, json_build_object('type', 'job_inserted', 'job_id', id)::text)
  FROM retried,
       unnest(ARRAY['procrastinate_queue_v1#' || queue_name, 'procrastinate_any_queue_v1'])
           AS channel
"""

# Workers whose heartbeat is older than this count as gone (procrastinate's default).
STALLED_AFTER = 30.0


class JobRuntime:
    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        url: str,
        database: DatabaseLike | None = None,
        services: Services | None = None,
        retention: Retention | None = None,
        pool_size: int = 10,
        connect_timeout: float = 5.0,
    ) -> None:
        from sentinel_spec.runtime.db.urls import libpq_url

        self.decls: dict[str, Job] = {job.name: job for job in jobs}
        self.database = database
        # context.email / context.realtime of a job come from the other features' slots,
        # read at each run (installation order does not matter).
        self.services = services
        self.retention = retention or Retention()
        self.error_reporters: list[ErrorReporter] = []
        self.conninfo = libpq_url(url)
        self.pool = AsyncConnectionPool(
            self.conninfo,
            min_size=1,
            max_size=max(2, pool_size),
            open=False,
            # A connection the server dropped (a restart) is replaced, not handed out.
            check=AsyncConnectionPool.check_connection,
            kwargs={"connect_timeout": max(2, round(connect_timeout))},
            timeout=connect_timeout * 2,
            name="sentinel-jobs",
        )
        # No json_dumps hook (it re-registers a dumper on every cursor): ``submit`` turns
        # args into plain JSON values itself (runtime/serialization's forms).
        self.connector = SessionAwareConnector()
        self.app = procrastinate.App(connector=self.connector)
        self.runners: dict[str, JobRunner] = {}
        # The framework's own tasks (durable email: jobs/email_delivery.py), by name.
        self.framework_tasks: set[str] = set()
        for decl in jobs:
            self._register(decl)
        self._open = False

    # ------------------------------------------------------------ set-up

    def _register(self, decl: Job) -> None:
        runner = JobRunner(self, decl)
        self.runners[decl.name] = runner
        options = decl.options

        # A plain coroutine function: procrastinate only cancels (aborts, expires at
        # shutdown) tasks that ``inspect.iscoroutinefunction`` recognises.
        async def perform(
            context: JobContext, args: Any = None, timestamp: int | None = None
        ) -> None:
            await runner(context, args, timestamp)

        perform.__name__ = perform.__qualname__ = decl.name
        self.app.task(
            name=decl.name,
            pass_context=True,
            queue=opts.queue_of(options),
            priority=options.priority,
            retry=runner.policy,
        )(perform)

    def register_task(
        self, name: str, perform: Any, *, retry: Any, queue: str = opts.DEFAULT_QUEUE
    ) -> None:
        """A task of the framework's (not a ``job`` declaration): ``perform(context,
        **kwargs)`` runs on the workers; its runs are listed, retried and cancelled like
        any job's."""

        async def run(context: JobContext, /, **kwargs: Any) -> None:
            await perform(context, **kwargs)

        run.__name__ = run.__qualname__ = name.rsplit(".", 1)[-1]
        self.app.task(name=name, pass_context=True, queue=queue, retry=retry)(run)
        self.framework_tasks.add(name)

    def _names(self) -> list[str]:
        return [*self.decls, *sorted(self.framework_tasks)]

    async def open(self) -> None:
        """Open the pool (without waiting for the server: it may be starting)."""
        if self._open:
            return
        await self.pool.open(wait=False)
        await self.app.open_async(pool=self.pool)
        self._open = True

    async def close(self) -> None:
        if not self._open:
            return
        self._open = False
        await self.app.close_async()
        await self.pool.close()

    async def schema_state(self) -> schema.SchemaState:
        async with self.pool.connection() as connection:
            cursor = await connection.execute(schema.STATE_QUERY)
            row = await cursor.fetchone()
        return schema.state_from_marker(None if row is None else row[0])

    async def schema_problem(self) -> str | None:
        """What keeps the queue from running on this database (None: nothing)."""
        try:
            return (await self.schema_state()).problem()
        except schema.SchemaUnknown as error:
            return str(error)
        except Exception as error:
            return f"the database cannot be reached ({str(error).strip() or type(error).__name__})"

    async def check_schema(self) -> None:
        """Raise ``JobQueueNotReady`` unless the database holds this procrastinate's schema
        (a connection failure propagates as itself: the worker retries those)."""
        try:
            problem = (await self.schema_state()).problem()
        except schema.SchemaUnknown as error:
            raise JobQueueNotReady(str(error)) from None
        if problem is not None:
            raise JobQueueNotReady(problem)

    # ------------------------------------------------------------ user-facing

    def queue(self, scope: SessionScopeLike | None = None) -> JobQueue:
        """``context.jobs``: bound to ``scope``'s transaction, or unbound (own transactions).
        Without a database (a spec with jobs and no entity) there is no transaction to join."""
        return JobQueue(self, self.decls, scope if self.database is not None else None)

    def bind(self, scope: SessionScopeLike | None) -> JobQueue:
        """``PerCall[JobQueue]`` (``builder.services.jobs``): the queue of one call."""
        return self.queue(scope)

    def decl(self, name: str) -> Job:
        try:
            return self.decls[name]
        except KeyError:
            declared = ", ".join(sorted(self.decls)) or "none"
            raise UnknownJob(f"no job named {name!r}; the spec declares: {declared}") from None

    # ------------------------------------------------------------ queue-wide (CLI, health)

    async def list_jobs(
        self, *, status: JobStatus | str | None = None, name: str | None = None, limit: int = 100
    ) -> list[JobRecord]:
        """The newest jobs first; ``status`` and ``name`` filter."""
        if name is not None and name in self.framework_tasks:
            names = [name]
        else:
            names = [self.decl(name).name] if name is not None else self._names()
        wanted = None if status is None else JobStatus(status).value
        rows = await self.connector.execute_query_all_async(
            LIST_QUERY, id=None, status=wanted, names=names, limit=limit
        )
        return [record_from_row(row) for row in rows]

    async def get(self, job_id: int, *, connection: Any = None) -> JobRecord | None:
        arguments = {"id": job_id, "status": None, "names": self._names(), "limit": 1}
        if connection is None:
            rows = await self.connector.execute_query_all_async(LIST_QUERY, **arguments)
        else:
            rows = await self.connector.execute_query_all_async_with_connection(
                connection, LIST_QUERY, **arguments
            )
        return record_from_row(rows[0]) if rows else None

    async def cancel(self, job_id: int, *, abort: bool = False, connection: Any = None) -> bool:
        """Cancel a waiting job; with ``abort`` also ask a running one to stop."""
        return await self.app.job_manager.cancel_job_by_id_async(
            job_id, abort=abort, connection=connection
        )

    async def retry(self, job_id: int) -> JobRecord:
        """Queue a failed job again, now; raises ``ValueError`` for any other status."""
        record = await self.get(job_id)
        if record is None:
            raise LookupError(f"no job {job_id} (unknown, or pruned after its retention)")
        if record.status is not JobStatus.FAILED:
            raise ValueError(
                f"job {job_id} is {record.status.value}: only failed jobs can be retried "
                f"(run it anew with `sentinel jobs run {record.name}`)"
            )
        await self.connector.execute_query_async(RETRY_FAILED, id=job_id)
        refreshed = await self.get(job_id)
        assert refreshed is not None
        return refreshed

    async def health(self, *, alive_seconds: float = STALLED_AFTER) -> QueueHealth:
        rows = await self.connector.execute_query_all_async(
            HEALTH_QUERY, alive_seconds=alive_seconds
        )
        return health_from_row(rows[0])

    async def healthy(self) -> bool:
        """The ``jobs`` health check: the queue's tables are reachable and current."""
        return await self.schema_problem() is None

    async def state(self) -> dict[str, Any]:
        """``GET /api/health``'s ``jobs`` entry: ``status`` ok / unavailable, and the
        counts per status, live workers and the oldest runnable job's wait when ok."""
        problem = await self.schema_problem()
        if problem is not None:
            return {"status": "unavailable", "problem": problem}
        try:
            return {"status": "ok", **(await self.health()).as_json()}
        except Exception as error:
            return {"status": "unavailable", "problem": str(error).strip()}

    # ------------------------------------------------------------ workers

    def worker(self, **settings: Any) -> Any:
        """A ``JobWorker`` for this runtime (see ``worker.JobWorker`` for the settings)."""
        from sentinel_spec.runtime.jobs.worker import JobWorker

        return JobWorker(self, **settings)

    def task_names(self) -> Iterable[str]:
        return self.decls.keys()

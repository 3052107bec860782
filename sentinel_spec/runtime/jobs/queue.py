"""``context.jobs``: submit, look up, cancel and abort jobs, inside the caller's unit of work.

A queue bound to a unit of work (an operation's, an api's, a page's or a job's) runs its
SQL on that unit's own database connection, inside its transaction: a job submitted by
an action that then fails is rolled back with it and never runs, and the worker is only
notified (LISTEN/NOTIFY) when the transaction commits. An unbound queue (plain user
code, the CLI) runs each call in its own short transaction on the queue's pool.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from procrastinate import exceptions as pexc
from procrastinate import jobs as pjobs

from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs.errors import JobAlreadyQueued, UnknownJob
from sentinel_spec.runtime.jobs.records import JobRecord
from sentinel_spec.runtime.serialization import to_jsonable

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import Job
    from sentinel_spec.runtime.jobs.runtime import JobRuntime
    from sentinel_spec.runtime.state import SessionScopeLike


# Values JSON takes as they are; anything else goes through the runtime's JSON forms.
_PLAIN = (type(None), str, int, bool)


async def scope_connection(scope: SessionScopeLike) -> Any:
    """The connection under the scope's ``AsyncSession``, in its transaction, as
    procrastinate takes it: psycopg's own ``AsyncConnection``, or (asyncpg) the SQLAlchemy
    connection wrapped for the queue's connector (jobs/session_connection.py)."""
    from sentinel_spec.runtime.db.database import in_transaction
    from sentinel_spec.runtime.jobs.session_connection import SessionConnection

    connection = await scope.session.connection()
    raw = await connection.get_raw_connection()
    if not _is_psycopg(raw.driver_connection):
        # Sent through SQLAlchemy: the read scope's event begins the transaction first.
        return SessionConnection(connection)
    # SQL sent on the driver's own connection passes no SQLAlchemy event: a query's
    # unit of work (Database.read_scope) must begin its transaction here, or the job
    # would be queued at once, even if the call then failed.
    return await in_transaction(raw.driver_connection)


def _is_psycopg(driver_connection: Any) -> bool:
    return type(driver_connection).__module__.startswith("psycopg")


class JobHandle:
    """One declared job, as ``context.jobs.<name>``."""

    __slots__ = ("_decl", "_lock", "_queue", "_runtime", "_scope")

    def __init__(self, runtime: JobRuntime, decl: Job, scope: SessionScopeLike | None) -> None:
        self._runtime = runtime
        self._decl = decl
        self._scope = scope
        self._queue = opts.queue_of(decl.options)
        self._lock = opts.lock_of(decl.name, decl.options)

    @property
    def name(self) -> str:
        return self._decl.name

    async def submit(self, args: Any = None, *, delay: float | timedelta | None = None) -> int:
        """Queue a run with ``args`` (any JSON value); returns the job id.

        ``delay`` (seconds or a timedelta) overrides the job's ``startAfter``. Raises
        ``JobAlreadyQueued`` when the job has a ``singletonKey`` and a run is waiting.
        """
        options = self._decl.options
        job = pjobs.Job(
            queue=self._queue,
            priority=options.priority,
            lock=self._lock,
            queueing_lock=self._lock,
            task_name=self._decl.name,
            task_kwargs={"args": args if type(args) in _PLAIN else to_jsonable(args)},
            scheduled_at=opts.scheduled_at(options, delay, datetime.now(UTC)),
        )
        manager = self._runtime.app.job_manager
        try:
            if self._scope is None:
                deferred = await manager.batch_defer_jobs_async([job])
            elif self._lock is None:
                connection = await scope_connection(self._scope)
                deferred = await manager.batch_defer_jobs_async([job], connection=connection)
            else:
                # A refused singleton must not abort the caller's transaction: savepoint.
                async with self._scope.session.begin_nested():
                    connection = await scope_connection(self._scope)
                    deferred = await manager.batch_defer_jobs_async([job], connection=connection)
        except pexc.AlreadyEnqueued:
            assert options.singleton_key is not None
            raise JobAlreadyQueued(self._decl.name, options.singleton_key) from None
        job_id = deferred[0].id
        assert job_id is not None
        return job_id

    async def get(self, job_id: int) -> JobRecord | None:
        """The job ``job_id`` if it is a run of this job (and not pruned yet), else None."""
        record = await self._runtime.get(job_id, connection=await self._connection())
        return record if record is not None and record.name == self._decl.name else None

    async def cancel(self, job_id: int) -> bool:
        """Cancel a waiting run; False when it is not waiting (or not a run of this job)."""
        return await self._cancel(job_id, abort=False)

    async def abort(self, job_id: int) -> bool:
        """Cancel a waiting run, or ask a running one to stop (an ``async`` perform function
        is cancelled where it awaits). False when it already finished."""
        return await self._cancel(job_id, abort=True)

    async def _cancel(self, job_id: int, *, abort: bool) -> bool:
        if await self.get(job_id) is None:
            return False
        return await self._runtime.cancel(job_id, abort=abort, connection=await self._connection())

    async def _connection(self) -> Any:
        return None if self._scope is None else await scope_connection(self._scope)

    def __repr__(self) -> str:
        return f"JobHandle({self._decl.name})"


class JobQueue:
    """``context.jobs``: ``context.jobs.<jobName>`` is that job's ``JobHandle``."""

    __slots__ = ("_decls", "_runtime", "_scope")

    def __init__(
        self, runtime: JobRuntime, decls: Mapping[str, Job], scope: SessionScopeLike | None
    ) -> None:
        self._runtime = runtime
        self._decls = decls
        self._scope = scope

    def __getattr__(self, name: str) -> JobHandle:
        return self[name]

    def __getitem__(self, name: str) -> JobHandle:
        decl = self._decls.get(name)
        if decl is None:
            declared = ", ".join(f"`{n}`" for n in sorted(self._decls)) or "none"
            raise UnknownJob(f"the spec declares no job `{name}` (it declares: {declared})")
        return JobHandle(self._runtime, decl, self._scope)

    def __dir__(self) -> list[str]:
        return sorted(self._decls)

    def __repr__(self) -> str:
        bound = "bound" if self._scope is not None else "unbound"
        return f"JobQueue({bound}: {', '.join(sorted(self._decls))})"

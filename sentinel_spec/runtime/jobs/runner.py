"""One run of a job: the perform function ``fn(args, context)`` in its own unit of work.

``context.session`` commits only when the function returns (and the job still belongs
to this worker); a failure rolls it back, is logged with the job id and handed to the
error reporters, then procrastinate retries it per the job's ``RetryPolicy``. Every log
line of a run carries ``job-<id>`` as its request id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from procrastinate import exceptions as pexc
from procrastinate.job_context import AbortReason, JobContext

from sentinel_spec.runtime.context import Context, Entities
from sentinel_spec.runtime.db.after_commit import PlainScope
from sentinel_spec.runtime.http.calls import call_user, is_async_callable
from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs.errors import JobExpired, JobLost, JobReleased
from sentinel_spec.runtime.observability.request_id import reset_request_id, set_request_id

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import Job
    from sentinel_spec.runtime.jobs.runtime import JobRuntime
    from sentinel_spec.runtime.state import SessionScopeLike

log = logging.getLogger("sentinel.jobs")
# A failed attempt's line: the error reporters (Sentry's among them) report the attempt
# themselves, with its tags, so Sentry ignores this logger (no second, untagged event).
failures_log = logging.getLogger("sentinel.jobs.failures")

ErrorReporter = Callable[[BaseException, "JobInfo"], None]


@dataclass(frozen=True)
class JobInfo:
    """``context.job``."""

    id: int
    name: str
    attempt: int  # 1 on the first run
    # The cron tick this run was deferred for (None for a submitted job).
    scheduled_for: datetime | None = None


def _bound(service: Any, scope: Any) -> Any:
    return None if service is None else service.bind(scope)


class JobCallContext(Context):
    """The context of a job: RUNTIME.md's ``Context`` plus ``job``; ``request`` is None."""

    __slots__ = ("job",)

    def __init__(self, *, job: JobInfo, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job


_STILL_OURS = (
    "SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status = 'doing' "
    "AND worker_id = :worker_id FOR UPDATE"
)


class JobRunner:
    """Runs one declared job's perform function; registered as its procrastinate task."""

    def __init__(self, runtime: JobRuntime, decl: Job) -> None:
        self.runtime = runtime
        self.decl = decl
        self.is_async = is_async_callable(decl.fn)
        self.entities = Entities(f"job `{decl.name}`", decl.entities)
        self.policy = opts.RetryPolicy(decl.options)
        if not self.is_async and decl.options.expire_in_seconds:
            log.warning(
                "job %s: its perform function is not async, so expireInSeconds cannot "
                "interrupt it; the run is failed at the deadline but its thread runs on",
                decl.name,
            )

    async def __call__(
        self, context: JobContext, args: Any = None, timestamp: int | None = None
    ) -> None:
        job = context.job
        assert job.id is not None
        info = JobInfo(
            id=job.id,
            name=self.decl.name,
            attempt=job.attempts + 1,
            scheduled_for=None if timestamp is None else datetime.fromtimestamp(timestamp, UTC),
        )
        token = set_request_id(f"job-{job.id}")
        try:
            await self._run(context, info, args)
        except asyncio.CancelledError:
            reason = context.abort_reason()
            if reason is AbortReason.SHUTDOWN:
                log.warning("job %s[%s] released: its worker is shutting down", info.name, info.id)
                raise JobReleased(f"{info.name}[{info.id}] released at shutdown") from None
            if reason is AbortReason.USER_REQUEST:
                log.info("job %s[%s] aborted on request", info.name, info.id)
                raise pexc.JobAborted() from None
            raise
        except Exception as error:
            self._report(error, info, job)
            raise
        finally:
            reset_request_id(token)

    async def _run(self, context: JobContext, info: JobInfo, args: Any) -> None:
        expire = self.decl.options.expire_in_seconds
        deadline = asyncio.timeout(expire) if expire else None
        try:
            if deadline is None:
                await self._perform(context, info, args)
            else:
                async with deadline:
                    await self._perform(context, info, args)
        except TimeoutError:
            if deadline is not None and deadline.expired():
                raise JobExpired(
                    f"{info.name}[{info.id}] ran longer than expireInSeconds ({expire} s)"
                ) from None
            raise

    async def _perform(self, context: JobContext, info: JobInfo, args: Any) -> None:
        database = self.runtime.database
        services = self.runtime.services
        unit = database.scope() if database is not None else PlainScope()
        async with unit as scope:
            call_context = JobCallContext(
                job=info,
                request=None,
                request_id=f"job-{info.id}",
                entities=self.entities,
                scope=scope,
                jobs=self.runtime.queue(scope),
                email=_bound(services.mailer if services else None, scope),
                realtime=_bound(services.publisher if services else None, scope),
            )
            await call_user(self.decl.fn, self.is_async, args, call_context)
            if getattr(scope, "opened", False):
                await self._check_still_ours(scope, context)

    async def _check_still_ours(self, scope: SessionScopeLike, context: JobContext) -> None:
        """Commit only while the job is still this worker's: one whose heartbeat lapsed
        may have been handed to another worker, and then this run's changes must not land.
        The row lock keeps the stalled-job retrier off it until the commit."""
        from sqlalchemy import text

        worker_id = context.job.worker_id
        if worker_id is None:
            return
        found = await scope.session.execute(
            text(_STILL_OURS), {"id": context.job.id, "worker_id": worker_id}
        )
        if found.first() is None:
            raise JobLost(
                f"{self.decl.name}[{context.job.id}] was taken over by another worker; "
                "this run's changes were rolled back"
            )

    def _report(self, error: Exception, info: JobInfo, job: Any) -> None:
        if isinstance(error, JobReleased | JobLost):
            return
        decision = self.policy.get_retry_decision(exception=error, job=job)
        if decision is None:
            outcome = "no retry left: it stays failed (`sentinel jobs retry` runs it again)"
        else:
            wait = (
                (decision.retry_at - datetime.now(UTC)).total_seconds() if decision.retry_at else 0
            )
            outcome = f"retrying in {max(wait, 0):.0f} s"
        failures_log.error(
            "job %s[%s] failed on attempt %d: %s; %s",
            info.name,
            info.id,
            info.attempt,
            error,
            outcome,
            exc_info=error,
            extra={"job_id": info.id, "job_name": info.name, "attempt": info.attempt},
        )
        for reporter in self.runtime.error_reporters:
            try:
                reporter(error, info)
            except Exception:  # a broken reporter must not change the job's outcome
                log.exception("job error reporter %r failed", reporter)

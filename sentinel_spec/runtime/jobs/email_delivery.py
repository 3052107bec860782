"""Durable email delivery: in an app that declares jobs, each message is a job.

``JobDeliveryQueue`` is the mailer's ``DeliveryQueue`` once the jobs feature is installed
(``Mailer.use_queue``). ``enqueue`` inserts one ``sentinel.email.deliver`` job per
message in the caller's transaction (inside a savepoint): an action that fails sends
nothing, a committed one's mail survives restarts and is sent by whichever worker takes
it (the app's own mail worker on the ``sentinel-email`` queue, or ``sentinel worker``).
The worker delivers with the app's sender and retries a temporary failure with the
email retry policy (``EMAIL_RETRY_*``: exponential backoff with jitter, bounded in
attempts and in time since the message was queued); a permanent refusal, or the end of
the retries, fails the job (visible in ``sentinel jobs list``, logged at ERROR as
"email NOT delivered"). Nothing here ever raises into the request that sent the mail:
when the job cannot be inserted (the queue's tables are missing) the message falls back
to the in-process queue, with a warning.

Apps without jobs keep the in-process queue (``email/inprocess.py``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from procrastinate import jobs as pjobs
from procrastinate import retry
from procrastinate.job_context import JobContext

from sentinel_spec.runtime.email.delivery import log_retrying, log_sent, log_undeliverable
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.retry import RetryPolicy
from sentinel_spec.runtime.email.sender import DeliveryFailure
from sentinel_spec.runtime.jobs import options as opts
from sentinel_spec.runtime.jobs.errors import JobReleased
from sentinel_spec.runtime.jobs.queue import scope_connection
from sentinel_spec.runtime.observability.request_id import (
    current_request_id,
    reset_request_id,
    set_request_id,
)

if TYPE_CHECKING:
    from procrastinate.jobs import Job as ProcrastinateJob

    from sentinel_spec.runtime.jobs.runtime import JobRuntime
    from sentinel_spec.runtime.state import SessionScopeLike

log = logging.getLogger("sentinel.email")

TASK = "sentinel.email.deliver"
# Mail has a queue of its own: every app process with jobs and an emailSender runs a small
# worker on it (unless SENTINEL_EMAIL_WORKER=0), so mail goes out promptly whether or not
# `sentinel worker` runs; `sentinel worker` without --queue takes it too.
QUEUE = "sentinel-email"
WORKER_ENV = "SENTINEL_EMAIL_WORKER"


class TemporaryFailure(Exception):
    """Try again in ``delay`` seconds (the policy's decision, made by the run)."""

    def __init__(self, reason: str, delay: float) -> None:
        super().__init__(reason)
        self.delay = delay


class Undeliverable(Exception):
    """Refused for good, or out of retries: the job fails and is not retried."""


@dataclass
class EmailRetry(retry.BaseRetryStrategy):
    """procrastinate's retry hook for the email task: the run already chose the delay."""

    def get_retry_decision(
        self, *, exception: BaseException, job: ProcrastinateJob
    ) -> retry.RetryDecision | None:
        now = datetime.now(UTC)
        if isinstance(exception, TemporaryFailure):
            return retry.RetryDecision(retry_at=now + timedelta(seconds=exception.delay))
        if isinstance(exception, JobReleased):  # the worker is shutting down
            return retry.RetryDecision(retry_at=now)
        if opts.is_outage(exception) and job.attempts < opts.CRASH_RETRIES:
            wait = opts.OUTAGE_RETRY_SECONDS * (job.attempts + 1)
            return retry.RetryDecision(retry_at=now + timedelta(seconds=wait))
        return None


class JobDeliveryQueue:
    """A ``DeliveryQueue`` on the job queue; ``fallback`` (the in-process queue it
    replaced) holds the sender and takes messages when no job can be inserted."""

    def __init__(self, runtime: JobRuntime, fallback: InProcessDeliveryQueue) -> None:
        self.runtime = runtime
        self.fallback = fallback
        self.sender = fallback.sender
        self.policy: RetryPolicy = fallback.policy
        self._deferring: set[asyncio.Task[None]] = set()  # inserts started by a commit
        runtime.register_task(TASK, self.deliver, retry=EmailRetry(), queue=QUEUE)

    # ------------------------------------------------------------ the sending side

    async def enqueue(
        self, messages: Sequence[EmailMessage], *, unit_of_work: SessionScopeLike | None = None
    ) -> None:
        if not messages:
            return
        request_id = current_request_id()
        queued_at = time.time()
        jobs = [
            pjobs.Job(
                queue=QUEUE,
                priority=0,
                lock=None,
                queueing_lock=None,
                task_name=TASK,
                task_kwargs={
                    "message": message.to_dict(),
                    "queued_at": queued_at,
                    "request_id": request_id,
                },
            )
            for message in messages
        ]
        manager = self.runtime.app.job_manager
        joins = unit_of_work is not None and self.runtime.database is not None
        try:
            if joins:
                assert unit_of_work is not None
                # A savepoint: a failed insert must not abort the caller's transaction.
                async with unit_of_work.session.begin_nested():
                    connection = await scope_connection(unit_of_work)
                    await manager.batch_defer_jobs_async(jobs, connection=connection)
            elif unit_of_work is not None:  # no database to join: insert once committed
                batch = tuple(messages)
                unit_of_work.on_commit(lambda: self._defer_later(jobs, batch, request_id))
            else:
                await manager.batch_defer_jobs_async(jobs)
        except Exception as error:
            log.warning(
                "email: the job queue did not take %d message(s) (%s); sending from this "
                "process instead (not durable)",
                len(jobs),
                error,
            )
            await self.fallback.enqueue(messages, unit_of_work=unit_of_work)

    def _defer_later(
        self, jobs: list[pjobs.Job], messages: Sequence[EmailMessage], request_id: str | None
    ) -> None:
        """After the commit of a scope without a database (callbacks are synchronous):
        insert in a task of its own, which ``drain`` waits for before the pool closes."""

        async def defer() -> None:
            try:
                await self.runtime.app.job_manager.batch_defer_jobs_async(jobs)
            except Exception as error:
                log.warning("email: the job queue did not take the message(s) (%s)", error)
                await self.fallback.enqueue(messages)

        task = asyncio.get_running_loop().create_task(defer(), name="sentinel-email-defer")
        self._deferring.add(task)
        task.add_done_callback(self._deferring.discard)

    async def drain(self) -> None:
        """Wait for inserts still under way (the jobs feature calls it at shutdown, before
        it closes the queue's pool)."""
        if self._deferring:
            await asyncio.gather(*self._deferring, return_exceptions=True)

    # ------------------------------------------------------------ the worker side

    async def deliver(
        self,
        context: JobContext,
        message: dict[str, Any],
        queued_at: float,
        request_id: str | None = None,
    ) -> None:
        """One attempt at one message (the task's perform function)."""
        job = context.job
        attempt = job.attempts + 1
        email = EmailMessage.from_dict(message)
        token = set_request_id(request_id or f"job-{job.id}")
        try:
            failure = await self._attempt(email)
            if failure is None:
                log_sent(email, self.sender.name, attempt, request_id)
                return
            if not failure.retryable:
                log_undeliverable(email, failure, attempt, "refused", request_id)
                raise Undeliverable(failure.reason)
            elapsed = max(0.0, time.time() - queued_at)
            delay = self.policy.next_delay(attempt, elapsed, random.random(), failure.retry_after)
            if delay is None:
                log_undeliverable(email, failure, attempt, "gave up", request_id)
                raise Undeliverable(failure.reason)
            log_retrying(email, failure, attempt, delay, request_id)
            raise TemporaryFailure(failure.reason, delay)
        finally:
            reset_request_id(token)

    async def _attempt(self, email: EmailMessage) -> DeliveryFailure | None:
        try:
            (outcome,) = await self.sender.deliver([email])
        except Exception as error:  # a sender bug is a temporary failure, not a lost mail
            log.exception("email sender %s failed unexpectedly", self.sender.name)
            return DeliveryFailure.temporary(f"{type(error).__name__}: {error}")
        return outcome

    async def aclose(self, grace_seconds: float) -> None:
        """Queued jobs stay in the database for the next worker; the fallback (and with
        it the sender) is closed."""
        await self.fallback.aclose(grace_seconds)

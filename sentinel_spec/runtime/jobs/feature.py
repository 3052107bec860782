"""What ``install`` wires into an app whose spec declares jobs.

- ``builder.services.jobs`` is the ``JobRuntime`` (a ``PerCall[JobQueue]``): every
  operation, api, page and job gets ``context.jobs`` bound to its own unit of work.
- Start-up opens the queue's pool without waiting for the server, and says loudly when
  the queue's tables are missing or behind (the app still serves; submits would fail).
- With ``SENTINEL_JOBS_WORKER=1`` (set by ``sentinel dev``) the app also runs a worker in
  its own process. It lives and dies with the app: a reload stops it (running jobs get
  ``SENTINEL_JOBS_SHUTDOWN_TIMEOUT`` seconds, then go back to the queue) and the new
  version's worker takes over, so jobs always run the code being served.
- A ``jobs`` health check (not critical: the queue being away does not stop requests).
- With ``app.emailSender``, mail is delivered by jobs (``email_delivery.py``), and each
  app process runs a small worker on the mail queue (``SENTINEL_EMAIL_WORKER=0``: not).
- Failed attempts are reported to Sentry (``observability.sentry.report_job_failure``).
- ``current()``: the runtime of the app this process serves, for plain user code.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from sentinel_spec.contract.declarations import AppDecl
from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.jobs.maintenance import Retention

if TYPE_CHECKING:
    from sentinel_spec.runtime.jobs.email_delivery import JobDeliveryQueue
    from sentinel_spec.runtime.jobs.queue import JobQueue
    from sentinel_spec.runtime.jobs.runtime import JobRuntime
    from sentinel_spec.runtime.jobs.worker import JobWorker
    from sentinel_spec.runtime.state import AppBuilder

log = logging.getLogger("sentinel.jobs")

IN_PROCESS_ENV = "SENTINEL_JOBS_WORKER"
EMAIL_WORKER_ENV = "SENTINEL_EMAIL_WORKER"  # 0: mail jobs wait for `sentinel worker`
EMAIL_QUEUE = "sentinel-email"  # email_delivery.QUEUE (kept here: a cheap import)
SHUTDOWN_ENV = "SENTINEL_JOBS_SHUTDOWN_TIMEOUT"

_current: JobRuntime | None = None
# The workers running in this process (dev's, or the mail worker) and their tasks, so a retiring
# dev process can stop taking jobs the moment it stops accepting requests (see
# stop_taking_jobs) and the app's shutdown can wait for them.
_in_process: list[tuple[JobWorker, asyncio.Task[None]]] = []


def current() -> JobRuntime:
    """The job runtime of the app this process serves (or last built)."""
    if _current is None:
        from sentinel_spec.runtime.context import FeatureNotAvailable

        raise FeatureNotAvailable(
            "no job queue in this process: the app declares no job, or it was not created "
            "yet (create_app installs it)"
        )
    return _current


def jobs_queue() -> JobQueue:
    """``context.jobs`` for plain user code (a script, a hook outside any call): each
    submit is its own short transaction. ``from sentinel_spec.runtime import jobs_queue``."""
    return current().queue()


async def jobs_state(request: Any = None) -> dict[str, Any]:
    """The job queue's state for a health endpoint: ``{"status": "ok", "counts": {...},
    "workers": n, "oldestDueSeconds": s}``, ``unavailable`` (with ``problem``), or
    ``not-configured`` when the app declares no job. With ``request``, of the app that
    serves it; otherwise of the app this process built."""
    runtime = _current
    if request is not None:
        state = getattr(getattr(request, "app", None), "state", None)
        services = getattr(getattr(state, "sentinel", None), "services", None)
        runtime = getattr(services, "jobs", None)
    if runtime is None:
        return {"status": "not-configured"}
    result: dict[str, Any] = await runtime.state()
    return result


def retention_of(decl: AppDecl) -> Retention:
    from datetime import timedelta

    config = decl.jobs_config
    return Retention(
        finished=timedelta(seconds=config.retention_seconds),
        failed=timedelta(seconds=config.failed_retention_seconds),
    )


def database_url(builder: AppBuilder) -> str:
    url = getattr(builder.database, "url", None)
    if isinstance(url, str):
        return url
    url = builder.settings.environ.get("DATABASE_URL", "").strip()
    if not url:
        from sentinel_spec.runtime.settings import SettingsError

        raise SettingsError(
            ["DATABASE_URL is not set: the job queue lives in PostgreSQL (the spec declares jobs)"]
        )
    return url


def make_runtime(builder: AppBuilder) -> JobRuntime:
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

    return JobRuntime(
        builder.decl.jobs,
        url=database_url(builder),
        database=builder.database,
        services=builder.services,
        retention=retention_of(builder.decl),
    )


def install_jobs(builder: AppBuilder) -> None:
    global _current
    from sentinel_spec.runtime.observability.sentry import report_job_failure

    runtime = make_runtime(builder)
    # A failed attempt reaches Sentry (when app.server.sentry has a DSN) as well as the log.
    runtime.error_reporters.append(report_job_failure)
    builder.services.jobs = runtime
    _current = runtime
    delivery = _deliver_email_through_jobs(builder, runtime)
    environ = builder.settings.environ
    in_process = environ.get(IN_PROCESS_ENV, "") == "1"
    shutdown_timeout = float(environ.get(SHUTDOWN_ENV, "") or 5.0)

    background: list[asyncio.Task[None]] = []

    async def report_schema_problem() -> None:
        problem = await runtime.schema_problem()
        if problem is not None:
            log.error("job queue: %s", problem)

    async def start() -> None:
        await runtime.open()
        # In the background: an unreachable database would hold start-up for the pool's
        # whole connect timeout, and the server answers 503s meanwhile anyway.
        background.append(asyncio.create_task(report_schema_problem(), name="sentinel-jobs-schema"))
        if in_process:
            worker = runtime.worker(concurrency=4, shutdown_timeout=shutdown_timeout)
            task = asyncio.create_task(_run_in_process(worker), name="sentinel-jobs-worker")
            _in_process.append((worker, task))
        elif delivery is not None and environ.get(EMAIL_WORKER_ENV, "1").strip() != "0":
            # The mail queue only, no cron: mail goes out even where no `sentinel worker`
            # runs (dev's in-process worker above takes every queue already).
            mail = runtime.worker(
                concurrency=2,
                queues=[EMAIL_QUEUE],
                cron=False,
                name="sentinel-mail",
                shutdown_timeout=shutdown_timeout,
            )
            task = asyncio.create_task(_run_in_process(mail), name="sentinel-mail-worker")
            _in_process.append((mail, task))

    async def stop() -> None:
        for check in background:
            await cancel_and_wait(check, shutdown_timeout)
        background.clear()
        for worker, task in _in_process:
            worker.stop()
            await asyncio.gather(task, return_exceptions=True)
        _in_process.clear()
        if delivery is not None:
            await delivery.drain()  # mail committed just now gets its job first
        await runtime.close()

    builder.on_startup(start)
    builder.on_shutdown(stop)
    # The queue's report (counts, workers, oldest wait) is /api/health's "jobs" entry.
    builder.add_health_check("jobs", runtime.state, critical=False)


def _deliver_email_through_jobs(
    builder: AppBuilder, runtime: JobRuntime
) -> JobDeliveryQueue | None:
    """With ``app.emailSender`` too, mail goes through the job queue (durable, retried by
    the workers); the in-process queue stays as the fallback and owns the sender."""
    mailer = builder.services.mailer
    if mailer is None:
        return None
    from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
    from sentinel_spec.runtime.email.mailer import Mailer
    from sentinel_spec.runtime.jobs.email_delivery import JobDeliveryQueue

    if not isinstance(mailer, Mailer) or not isinstance(mailer.queue, InProcessDeliveryQueue):
        return None
    delivery = JobDeliveryQueue(runtime, mailer.queue)
    mailer.use_queue(delivery)
    return delivery


def stop_taking_jobs() -> None:
    """A reload retires this process: its in-process workers take no new job from now on
    (running ones finish), so the next job runs the new code. Safe to call twice."""
    for worker, _task in _in_process:
        worker.stop()


async def _run_in_process(worker: Any) -> None:
    """Keep the dev server serving when the worker cannot run (no tables yet): say why."""
    from sentinel_spec.runtime.jobs.errors import JobQueueNotReady

    log.info("job worker running in the app's process (%s)", worker.name)
    said = None
    while not worker.stopping:
        try:
            await worker.run()
            return
        except JobQueueNotReady as error:
            if str(error) != said:  # once per problem, not every few seconds
                log.error("job worker waiting: %s", error)
                said = str(error)
        except Exception:
            log.exception("job worker stopped; starting it again in 5 s")
        await worker.pause(5.0)

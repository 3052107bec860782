"""``sentinel worker`` and ``sentinel jobs``: run the job queue, and look into it.

Both find the database like ``sentinel db``: ``DATABASE_URL`` when set, otherwise the
project's embedded PostgreSQL. The worker builds the whole app (``create_app`` on the
generated declaration, its lifespan included: the email feature, ``setupFn``) so a job
sees exactly the services an operation sees, then runs a ``JobWorker`` until SIGTERM.
Registered lazily by ``sentinel_spec.cli``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sentinel_spec.cli import project_option, spec_path

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl
    from sentinel_spec.runtime.jobs.records import JobRecord
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


class NoJobs(click.ClickException):
    def __init__(self) -> None:
        super().__init__("the spec declares no job: there is nothing for a worker to run")


class QueueNotReady(click.ClickException):
    exit_code = 1


def _fresh_build(project: Path) -> Path:
    """Rebuild generated/ when stale (like ``sentinel start``); the project folder."""
    from sentinel_spec import build
    from sentinel_spec.cli import SpecInvalid
    from sentinel_spec.errors import SpecErrors

    path = spec_path(project)
    try:
        if build(path, check=True).stale:
            click.echo("generated/ is stale; rebuilding it", err=True)
            build(path)
    except SpecErrors as errors:
        raise SpecInvalid(errors) from None
    return path.parent


def _app_decl(project_dir: Path) -> AppDecl:
    from importlib import import_module

    from sentinel_spec.migrations.models import ensure_on_path, purge_modules

    ensure_on_path(project_dir)
    purge_modules("generated", "src")
    decl: AppDecl = import_module("generated.server").APP
    if not decl.jobs:
        raise NoJobs()
    return decl


@contextmanager
def _database(project_dir: Path) -> Iterator[str]:
    from sentinel_spec.cli_db import database_url

    with database_url(project_dir) as url:
        os.environ["DATABASE_URL"] = url
        yield url


# ---------------------------------------------------------------- sentinel worker


@click.command("worker")
@project_option
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Jobs run at the same time by this worker (async perform functions).",
)
@click.option(
    "--queue",
    "-q",
    "queues",
    multiple=True,
    help="Take jobs only from this queue (repeat for several; default: every queue).",
)
@click.option(
    "--shutdown-timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds SIGTERM lets running jobs finish before releasing them to the queue.",
)
def worker_command(
    project: Path, concurrency: int, queues: tuple[str, ...], shutdown_timeout: float
) -> None:
    """Run the app's jobs (and its cron schedules) until SIGTERM."""
    import logging.config

    from sentinel_spec.runtime.observability.logging import logging_config

    project_dir = _fresh_build(project)
    os.chdir(project_dir)
    os.environ.setdefault("SENTINEL_ENV", "production")
    with _database(project_dir):
        decl = _app_decl(project_dir)
        logging.config.dictConfig(logging_config())
        code = asyncio.run(_work(decl, concurrency, list(queues), shutdown_timeout))
    if code:
        raise SystemExit(code)


async def _work(decl: AppDecl, concurrency: int, queues: list[str], timeout: float) -> int:
    import logging

    from sentinel_spec.runtime.app import create_app
    from sentinel_spec.runtime.jobs.errors import JobQueueNotReady

    log = logging.getLogger("sentinel.jobs.worker")
    if not queues:  # this worker takes the mail queue too: no second worker for it
        import os

        from sentinel_spec.runtime.jobs.feature import EMAIL_WORKER_ENV

        os.environ.setdefault(EMAIL_WORKER_ENV, "0")
    app = create_app(decl)
    runtime: JobRuntime = app.state.sentinel.services.jobs
    async with app.router.lifespan_context(app):
        worker = runtime.worker(
            concurrency=concurrency, queues=queues or None, shutdown_timeout=timeout
        )
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, worker.stop)
        where = ", ".join(queues) if queues else "every queue"
        log.info("worker started: %d at a time from %s", concurrency, where)
        try:
            await worker.run()
        except JobQueueNotReady as error:
            log.error("%s", error)
            return 1
        log.info("worker stopped")
    return 0


# ---------------------------------------------------------------- sentinel jobs


@click.group("jobs")
def jobs() -> None:
    """List, retry, cancel and run the app's jobs."""


def _with_runtime(project: Path, action: Any) -> Any:
    """Run ``await action(runtime)`` against the app's queue; errors become messages."""
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

    project_dir = spec_path(project).parent
    with _database(project_dir) as url:
        decl = _app_decl(project_dir)

        async def run() -> Any:
            runtime = JobRuntime(decl.jobs, url=url)
            await runtime.open()
            try:
                problem = await runtime.schema_problem()
                if problem is not None:
                    raise QueueNotReady(problem)
                return await action(runtime)
            finally:
                await runtime.close()

        return asyncio.run(run())


def _line(record: JobRecord) -> str:
    when = record.finished_at or record.started_at or record.scheduled_at or record.created_at
    at = when.strftime("%Y-%m-%d %H:%M:%S") if when else "-"
    args = json.dumps(record.args, separators=(",", ":"), default=str)
    if len(args) > 40:
        args = args[:37] + "..."
    return (
        f"{record.id:>8}  {record.name:<24} {record.status.value:<10} "
        f"{record.attempts:>3}  {record.queue:<10} {at}  {args}"
    )


@jobs.command("list")
@project_option
@click.option("--status", "-s", type=click.Choice(STATUSES), help="Only jobs in this status.")
@click.option("--name", "-n", help="Only runs of this job.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the jobs and counts.")
def list_command(
    project: Path, status: str | None, name: str | None, limit: int, as_json: bool
) -> None:
    """The newest jobs first, with the queue's counts per status."""

    async def action(runtime: JobRuntime) -> Any:
        from sentinel_spec.runtime.jobs.errors import UnknownJob

        try:
            records = await runtime.list_jobs(status=status, name=name, limit=limit)
        except UnknownJob as error:
            raise click.UsageError(str(error)) from None
        return records, await runtime.health()

    records, health = _with_runtime(project, action)
    if as_json:
        body = {"jobs": [r.as_json() for r in records], "queue": health.as_json()}
        click.echo(json.dumps(body, indent=2, default=str))
        return
    counts = ", ".join(f"{k} {v}" for k, v in health.counts.items() if v)
    click.echo(f"queue: {counts or 'empty'}; {health.workers} worker(s) alive")
    if not records:
        click.echo("no jobs" + (f" with status {status}" if status else ""))
        return
    click.echo(
        f"{'id':>8}  {'job':<24} {'status':<10} {'try':>3}  {'queue':<10} {'when':<19}  args"
    )
    for record in records:
        click.echo(_line(record))


@jobs.command("retry")
@project_option
@click.argument("job_id", type=int)
def retry_command(project: Path, job_id: int) -> None:
    """Queue a failed job again, to run now."""

    async def action(runtime: JobRuntime) -> JobRecord:
        try:
            return await runtime.retry(job_id)
        except (LookupError, ValueError) as error:
            raise click.ClickException(str(error)) from None

    record = _with_runtime(project, action)
    click.echo(f"job {record.id} ({record.name}) queued again")


@jobs.command("cancel")
@project_option
@click.argument("job_id", type=int)
def cancel_command(project: Path, job_id: int) -> None:
    """Cancel a waiting job, or ask a running one to stop (it ends as aborted)."""
    from sentinel_spec.runtime.jobs.records import JobStatus

    async def action(runtime: JobRuntime) -> tuple[JobRecord | None, bool]:
        record = await runtime.get(job_id)
        if record is None:
            return None, False
        return record, await runtime.cancel(job_id, abort=True)

    record, done = _with_runtime(project, action)
    if record is None:
        raise click.ClickException(f"no job {job_id} (unknown, or pruned after its retention)")
    if not done:
        raise click.ClickException(f"job {job_id} is {record.status.value}: nothing to cancel")
    if record.status is JobStatus.DOING:
        click.echo(f"job {job_id} ({record.name}) is running: asked it to stop")
    else:
        click.echo(f"job {job_id} ({record.name}) cancelled")


@jobs.command("run")
@project_option
@click.argument("name")
@click.option("--args", "args_json", default="null", help="The job's args, as JSON.")
@click.option("--wait", is_flag=True, help="Wait until a worker has run it; exit 1 if it failed.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="With --wait.")
def run_command(project: Path, name: str, args_json: str, wait: bool, timeout: float) -> None:
    """Queue a run of job NAME now (a worker runs it)."""
    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--args") from None

    async def action(runtime: JobRuntime) -> tuple[int, JobRecord | None]:
        from sentinel_spec.runtime.jobs.errors import JobAlreadyQueued, UnknownJob
        from sentinel_spec.runtime.jobs.records import FINISHED

        try:
            handle = runtime.queue()[name]
        except UnknownJob as error:
            raise click.UsageError(str(error)) from None
        try:
            job_id = await handle.submit(args)
        except JobAlreadyQueued as error:
            raise click.ClickException(str(error)) from None
        if not wait:
            return job_id, None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            record = await runtime.get(job_id)
            if record is not None and record.status in FINISHED:
                return job_id, record
            await asyncio.sleep(0.1)
        raise click.ClickException(f"job {job_id} did not finish within {timeout:g} s")

    job_id, record = _with_runtime(project, action)
    if record is None:
        click.echo(f"queued job {job_id} ({name})")
        return
    click.echo(f"job {job_id} ({name}) {record.status.value}")
    if record.status.value != "succeeded":
        sys.exit(1)

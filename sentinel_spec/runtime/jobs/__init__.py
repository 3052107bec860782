"""Background jobs and cron schedules on PostgreSQL with procrastinate (RUNTIME.md, Jobs).

- ``runtime``: ``JobRuntime``, the declared jobs as procrastinate tasks and the queue's pool;
  it is the ``PerCall[JobQueue]`` in ``builder.services.jobs``
- ``queue``: ``JobQueue`` / ``JobHandle`` (``context.jobs`` / ``context.jobs.<name>``)
- ``runner``: one run of a perform function (``context.job``, its unit of work)
- ``options``: the PgBoss executor options as procrastinate settings (``RetryPolicy``)
- ``cron``: cron checks (shared with the compiler) and ticks; ``schedule``: the scheduler
- ``worker``: ``JobWorker`` (``sentinel worker``, and in-process in ``sentinel dev``)
- ``maintenance``: stalled-job recovery, worker pruning, retention
- ``schema``: the queue's tables, installed and upgraded by the app's own migrations
- ``feature``: what ``install`` wires in

Cheap to import: procrastinate loads only in ``install`` when the spec declares jobs.
See docs/jobs.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Fills ``builder.services.jobs`` and the queue's start-up, shutdown and health check."""
    if not builder.decl.jobs:
        return
    from sentinel_spec.runtime.jobs.feature import install_jobs

    install_jobs(builder)

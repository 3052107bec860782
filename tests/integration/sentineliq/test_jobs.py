"""SentinelIQ's jobs end to end: the generated declarations, run by a real worker on a
database migrated with the app's own revisions (the job queue's included)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from sentinel_spec.runtime.jobs.records import FINISHED, JobRecord, JobStatus
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from sentinel_spec.runtime.jobs.schedule import CronScheduler
from tests.conftest import SENTINELIQ_TEST_ENV
from tests.integration.jobs.conftest import running, wait_for

from .conftest import ROOT

pytestmark = pytest.mark.postgres

UTC = dt.UTC


@pytest.fixture
async def queue(sentineliq: ModuleType, sentineliq_db: str, smtp: Any) -> AsyncIterator[JobRuntime]:
    """The app as create_app builds it (lifespan running); its job runtime."""
    from sentinel_spec.runtime.app import create_app

    environ = {"DATABASE_URL": sentineliq_db, **SENTINELIQ_TEST_ENV, **smtp.env()}
    app = create_app(sentineliq.APP, environ=environ, dotenv=None)
    async with app.router.lifespan_context(app):
        runtime: JobRuntime = app.state.sentinel.services.jobs
        assert await runtime.schema_problem() is None  # the committed revision installed it
        yield runtime


async def run_job(runtime: JobRuntime, name: str, args: Any = None) -> JobRecord:
    job_id = await runtime.queue()[name].submit(args)

    async def finished() -> JobRecord | None:
        record = await runtime.get(job_id)
        return record if record is not None and record.status in FINISHED else None

    record: JobRecord = await wait_for(finished, timeout=60)
    return record


async def execute(url: str, statement: Any, params: dict[str, Any] | None = None) -> Any:
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            result = await session.execute(statement, params or {})
            rows = result.all() if getattr(result, "returns_rows", True) else None
            await session.commit()
            return rows
    finally:
        await engine.dispose()


async def add(url: str, *rows: Any) -> None:
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            session.add_all(rows)
            await session.commit()
    finally:
        await engine.dispose()


async def test_daily_stats_count_the_day_and_rewrite_it_on_a_second_run(
    queue: JobRuntime, sentineliq_db: str
) -> None:
    from generated.models import Alert, Case, DailyStats, Incident, Workspace

    day = dt.datetime(2026, 3, 1, tzinfo=UTC)
    ws = Workspace(id="ws-1", name="Acme", slug="acme", ipAllowlist=[])
    await add(sentineliq_db, ws)
    await add(
        sentineliq_db,
        Alert(
            workspaceId="ws-1",
            title="a",
            source="s",
            tags=[],
            createdAt=day + dt.timedelta(hours=3),
        ),
        Alert(
            workspaceId="ws-1",
            title="b",
            source="s",
            tags=[],
            createdAt=day + dt.timedelta(hours=23),
        ),
        Alert(
            workspaceId="ws-1",
            title="old",
            source="s",
            tags=[],
            createdAt=day - dt.timedelta(hours=1),
        ),
        Incident(workspaceId="ws-1", title="i", createdAt=day + dt.timedelta(hours=5)),
        Case(workspaceId="ws-1", title="open"),
        Case(workspaceId="ws-1", title="done", status="CLOSED"),
    )
    async with running(queue):
        # The cron tick of 2026-03-02 01:00 UTC counts 2026-03-01.
        scheduler = CronScheduler(queue, [queue.decl("calculateDailyStats")])
        (tick_job,) = await scheduler.tick(dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC))

        async def done() -> bool:
            record = await queue.get(tick_job)
            return record is not None and record.status is JobStatus.SUCCEEDED

        await wait_for(done, timeout=60)
        rows = await execute(
            sentineliq_db,
            select(
                DailyStats.day,
                DailyStats.alertCount,
                DailyStats.incidentCount,
                DailyStats.openCases,
            ),
        )
        assert rows == [(day, 2, 1, 1)]
        # A rerun of the same day (by hand, or a retry) rewrites the row.
        await add(
            sentineliq_db,
            Alert(workspaceId="ws-1", title="late", source="s", tags=[], createdAt=day),
        )
        again = await run_job(queue, "calculateDailyStats", {"day": "2026-03-01"})
        assert again.status is JobStatus.SUCCEEDED
    rows = await execute(sentineliq_db, select(DailyStats.alertCount))
    assert rows == [(3,)]


async def test_backups_rotate_and_one_restores_the_database(
    queue: JobRuntime, sentineliq_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generated.models import Workspace

    folder = tmp_path / "backups"
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", sentineliq_db)
    await add(sentineliq_db, Workspace(id="ws-1", name="Acme", slug="acme", ipAllowlist=[]))
    async with running(queue):
        for _ in range(3):
            record = await run_job(queue, "backupDatabase", {"keep": 2})
            assert record.status is JobStatus.SUCCEEDED
    dumps = sorted(p.name for p in folder.iterdir())
    assert len(dumps) == 2 and all(
        n.startswith("sentineliq-") and n.endswith(".dump") for n in dumps
    )

    await execute(sentineliq_db, delete(Workspace))
    assert await execute(sentineliq_db, select(func.count()).select_from(Workspace)) == [(0,)]
    restored = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "src.core.jobs.backup", "restore", str(folder / dumps[-1])],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": sentineliq_db},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    assert await execute(sentineliq_db, select(Workspace.slug)) == [("acme",)]

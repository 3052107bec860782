"""What the notification tests share: SentinelIQ served with the channel stubs
(``tests/notification_stubs.py``), the real SMTP server, a job worker, and helpers to
read the database and run jobs. Import ``notify_fixture`` into a test module; tests
take it as ``n``."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import pytest
from py_vapid import Vapid02
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from sentinel_spec.runtime.jobs.records import FINISHED, JobRecord
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from tests.conftest import SENTINELIQ_TEST_ENV
from tests.integration.jobs.conftest import running
from tests.notification_stubs import ChannelStub

from .conftest import Users

WEBHOOK_SECRET = "whsec_test_" + "s" * 40
TELEGRAM_TOKEN = "123456789:" + "A" * 35


def vapid_private_key() -> str:
    key = Vapid02()
    key.generate_keys()
    number = key.private_key.private_numbers().private_value  # type: ignore[union-attr]
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).decode().rstrip("=")


@dataclass
class Notify:
    client: httpx.AsyncClient
    users: Users
    app: Any
    jobs: JobRuntime
    stub: ChannelStub
    smtp: Any
    engine: AsyncEngine

    async def call(self, op: str, args: Any, headers: dict[str, str]) -> httpx.Response:
        return await self.client.post(f"/operations/{op}", json=args, headers=headers)

    async def ok(self, op: str, args: Any, headers: dict[str, str]) -> Any:
        response = await self.call(op, args, headers)
        assert response.status_code == 200, f"{op}: {response.status_code} {response.text}"
        return response.json()

    async def workspace(self, owner: dict[str, str], name: str = "Acme") -> str:
        return str((await self.ok("create-workspace", {"name": name}, owner))["id"])

    async def add_member(self, workspace_id: str, headers: dict[str, str], role: str) -> None:
        """Membership straight in the table: invitations are platform's, tested there."""
        user_id = await self.users.user_id(headers)
        await self.sql(
            'INSERT INTO "WorkspaceMember" ("userId", "workspaceId", role) '
            "VALUES (:u, :w, CAST(:r AS role))",
            u=user_id,
            w=workspace_id,
            r=role,
        )

    async def sql(self, statement: str, **params: Any) -> list[Any]:
        async with AsyncSession(self.engine) as session:
            result = await session.execute(text(statement), params)
            rows = list(result.all()) if result.returns_rows else []
            await session.commit()
            return rows

    async def rows(self, query: Any) -> list[Any]:
        async with AsyncSession(self.engine) as session:
            return list((await session.scalars(query)).all())

    async def deliveries(self, **where: Any) -> list[Any]:
        from generated.models import NotificationDeliveryLog as Log

        query = select(Log).order_by(Log.createdAt, Log.id)
        for name, value in where.items():
            query = query.where(getattr(Log, name) == value)
        return await self.rows(query)

    async def run_job(self, name: str, args: Any = None) -> JobRecord:
        job_id = await self.jobs.queue()[name].submit(args)
        return await self.wait_job(job_id)

    async def wait_job(self, job_id: int) -> JobRecord:
        for _ in range(600):
            record = await self.jobs.get(job_id)
            if record is not None and record.status in FINISHED:
                return record
            await asyncio.sleep(0.05)
        raise AssertionError(f"job {job_id} did not finish")

    async def settled(self) -> None:
        """Every submitted job has finished (deliveries included)."""
        for _ in range(600):
            rows = await self.sql(
                "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
            )
            if rows[0][0] == 0:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("jobs still pending")

    async def until(self, predicate: Any, what: str, timeout: float = 20) -> Any:
        for _ in range(int(timeout / 0.05)):
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(name="n")
async def notify_fixture(
    sentineliq: ModuleType, sentineliq_db: str, smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Notify]:
    from sentinel_spec.runtime.app import create_app

    with ChannelStub(webhook_secret=WEBHOOK_SECRET, telegram_token=TELEGRAM_TOKEN) as stub:
        # The channels' settings come from the process environment (settings.py).
        monkeypatch.setenv("SENTINEL_ENV", "test")
        monkeypatch.setenv("NOTIFICATIONS_SECRET_KEY", "notify-test-key-" + "k" * 32)
        monkeypatch.setenv("VAPID_PRIVATE_KEY", vapid_private_key())
        monkeypatch.setenv("VAPID_SUBJECT", "mailto:security@sentineliq.test")
        monkeypatch.setenv("TELEGRAM_API_URL", stub.base + "/telegram")
        monkeypatch.setenv("APP_URL", "http://testserver")
        environ = {"DATABASE_URL": sentineliq_db, **SENTINELIQ_TEST_ENV, **smtp.env()}
        app = create_app(sentineliq.APP, environ=environ, dotenv=None)
        engine = create_async_engine(sentineliq_db)
        try:
            async with app.router.lifespan_context(app):
                jobs: JobRuntime = app.state.sentinel.services.jobs
                transport = httpx.ASGITransport(app=app)
                async with (
                    httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
                    running(jobs),
                ):
                    yield Notify(
                        client, Users(client, smtp, sentineliq_db), app, jobs, stub, smtp, engine
                    )
        finally:
            await engine.dispose()

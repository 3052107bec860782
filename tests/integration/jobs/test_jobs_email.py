"""Email through the job queue, in an app that declares jobs and ``app.emailSender``:
each message is a ``sentinel.email.deliver`` job inserted in the sending call's
transaction, delivered by a worker to a real SMTP server (aiosmtpd), retried with the
email backoff on temporary refusals, failed (not retried) on a permanent one, and never
failing the request that sent it."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from sentinel_spec.contract.declarations import AppDecl, EmailSenderDecl, Job, Operation
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.jobs.email_delivery import TASK, JobDeliveryQueue
from tests.integration.jobs.conftest import Base, running, sql, wait_for
from tests.mail_servers import SmtpServer, smtp_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def notify(args: Any, context: Any) -> dict[str, bool]:
    await context.email.send(to=args["to"], subject=args["subject"], text="An alert fired.")
    if args.get("fail"):
        raise HttpError(409, "the action failed after queueing its mail")
    return {"ok": True}


async def nothing(args: Any, context: Any) -> None:
    return None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@asynccontextmanager
async def app_for(queue_url: str, smtp: SmtpServer, **more: str) -> AsyncIterator[Any]:
    decl = AppDecl(
        name="Mailing",
        title="Mailing",
        operations=(Operation("notify", "notify", "action", notify),),
        jobs=(Job("housekeeping", nothing),),
        email_sender=EmailSenderDecl(provider="SMTP", default_from_email="alerts@mailing.test"),
        metadata=Base.metadata,  # an entity: calls run in a database transaction
    )
    environ = {
        "DATABASE_URL": queue_url,
        "SENTINEL_ENV": "development",
        "EMAIL_RETRY_BASE_SECONDS": "0.4",
        # Mail waits for a worker the test runs (not the app's own mail worker) unless
        # a test asks for the default.
        "SENTINEL_EMAIL_WORKER": "0",
        **smtp.env(),
        **more,
    }
    app = create_app(decl, environ=environ, dotenv=None)
    async with app.router.lifespan_context(app):
        yield app


async def call(app: Any, **args: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailing.test") as client:
        return await client.post("/operations/notify", json=args)


def email_jobs(url: str) -> list[tuple[Any, ...]]:
    return sql(
        url,
        "SELECT id, status::text, attempts FROM procrastinate_jobs WHERE task_name = %s "
        "ORDER BY id",
        TASK,
    )


def start_gaps(url: str, job_id: int) -> list[float]:
    """Seconds between the starts of consecutive attempts (procrastinate's events)."""
    rows = sql(
        url,
        "SELECT at FROM procrastinate_events WHERE job_id = %s AND type = 'started' ORDER BY at",
        job_id,
    )
    return [(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(rows)]


async def test_mail_is_a_job_of_the_calls_transaction(queue_url: str, smtp: SmtpServer) -> None:
    async with app_for(queue_url, smtp) as app:
        runtime = app.state.sentinel.services.jobs
        assert isinstance(app.state.sentinel.services.mailer.queue, JobDeliveryQueue)
        # No worker yet: the mail waits in the queue, the answer does not.
        assert (await call(app, to="ana@example.com", subject="Alert 1")).status_code == 200
        failed = await call(app, to="bob@example.com", subject="Never", fail=True)
        assert failed.status_code == 409
        assert [row[1] for row in email_jobs(queue_url)] == ["todo"]  # the rollback took it
        assert smtp.inbox.received == []
        async with running(runtime):
            await wait_for(lambda: email_jobs(queue_url)[0][1] == "succeeded")
        (received,) = smtp.inbox.received
        assert received.rcpt_tos == ["ana@example.com"]
        assert received.message["Subject"] == "Alert 1"
        assert received.message["Message-ID"]


async def test_the_apps_own_mail_worker_sends_without_sentinel_worker(
    queue_url: str, smtp: SmtpServer
) -> None:
    async with app_for(queue_url, smtp, SENTINEL_EMAIL_WORKER="1") as app:
        assert (await call(app, to="ana@example.com", subject="Prompt")).status_code == 200
        await wait_for(lambda: len(smtp.inbox.received) == 1, timeout=20)
        await wait_for(lambda: email_jobs(queue_url)[0][1] == "succeeded")
    assert smtp.inbox.received[0].message["Subject"] == "Prompt"
    queues = sql(queue_url, "SELECT DISTINCT queue_name FROM procrastinate_jobs")
    assert queues == [("sentinel-email",)]


async def test_temporary_refusals_are_retried_with_backoff(
    queue_url: str, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.inbox.refuse_data.extend(["451 4.3.0 try again later"] * 2)
    async with app_for(queue_url, smtp) as app:
        runtime = app.state.sentinel.services.jobs
        async with running(runtime):
            assert (await call(app, to="ana@example.com", subject="Retried")).status_code == 200
            await wait_for(lambda: email_jobs(queue_url)[0][1] == "succeeded", timeout=30)
    ((job_id, _, attempts),) = email_jobs(queue_url)
    assert attempts == 3
    (received,) = smtp.inbox.received  # once, after two refusals
    assert received.message["Subject"] == "Retried"
    waits = [
        float(found.group(1))
        for record in caplog.records
        if (found := re.search(r"retrying in ([0-9.]+)s", record.getMessage()))
    ]
    # Base 0.4 s doubling, the last half random: 0.2-0.4 s, then 0.4-0.8 s (logged to 0.1).
    assert len(waits) == 2, waits
    assert 0.15 <= waits[0] <= 0.45 and 0.35 <= waits[1] <= 0.85, waits
    gaps = start_gaps(queue_url, job_id)
    assert len(gaps) == 2 and all(gap >= wait - 0.06 for gap, wait in zip(gaps, waits, strict=True))


async def test_a_permanent_refusal_fails_the_job_without_retry(
    queue_url: str, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.inbox.refuse_rcpt["nobody@example.com"] = "550 5.1.1 no such mailbox"
    async with app_for(queue_url, smtp) as app:
        runtime = app.state.sentinel.services.jobs
        async with running(runtime):
            assert (await call(app, to="nobody@example.com", subject="Bounce")).status_code == 200
            await wait_for(lambda: email_jobs(queue_url)[0][1] == "failed")
    ((_, _, attempts),) = email_jobs(queue_url)
    assert attempts == 1
    assert smtp.inbox.received == []
    assert any("email NOT delivered (refused" in r.getMessage() for r in caplog.records)

"""``context.email`` in a served app, on a real PostgreSQL and a real SMTP server: a send
waits for its action's commit, an action that rolls back sends nothing, a failing
server never fails the request, and shutdown drains the queue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sentinel_spec.contract.declarations import AppDecl, EmailSenderDecl, Operation
from sentinel_spec.runtime import HttpError
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context, FeatureNotAvailable
from sentinel_spec.runtime.email.mailer import Mailer
from sentinel_spec.runtime.settings import SettingsError
from tests.in_process import serve
from tests.mail_servers import SmtpServer, smtp_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Base(DeclarativeBase):
    pass


class Invite(Base):
    __tablename__ = "email_invite"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200))


async def invite(args: dict[str, Any], context: Context) -> dict[str, int]:
    row = context.entities.Invite(email=args["email"])
    context.session.add(row)
    await context.session.flush()
    await context.email.send(
        to=args["email"], subject=f"Invitation #{row.id}", text="Join us", html="<p>Join us</p>"
    )
    if args.get("fail"):
        raise HttpError(409, "rolled back after sending")
    return {"id": row.id}


async def count(args: None, context: Context) -> int:
    return int(
        (await context.session.execute(select(func.count()).select_from(Invite))).scalar_one()
    )


DECL = AppDecl(
    name="Mail",
    title="Mail",
    operations=(
        Operation("invite", "invite", "action", invite, entities={"Invite": Invite}),
        Operation("count", "count", "query", count),
    ),
    metadata=Base.metadata,
    email_sender=EmailSenderDecl("SMTP", "noreply@mail.test", "Mail"),
)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def client(database_url: str, smtp: SmtpServer) -> AsyncIterator[httpx.AsyncClient]:
    environ = {"DATABASE_URL": database_url, **smtp.env(EMAIL_RETRY_BASE_SECONDS="0.05")}
    async with serve(DECL, environ=environ) as client:
        database = client._transport.app.state.sentinel.database  # type: ignore[attr-defined]
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        yield client


def mailer_of(client: httpx.AsyncClient) -> Mailer:
    mailer = client._transport.app.state.sentinel.services.mailer  # type: ignore[attr-defined]
    assert isinstance(mailer, Mailer)
    return mailer


async def settled(client: httpx.AsyncClient) -> None:
    await asyncio.wait_for(mailer_of(client).queue.wait_idle(), 10)  # type: ignore[attr-defined]


async def test_a_committed_action_sends_its_email(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    response = await client.post("/operations/invite", json={"email": "ada@example.com"})
    assert response.status_code == 200
    await settled(client)
    (got,) = smtp.inbox.received
    assert got.message["Subject"] == f"Invitation #{response.json()['id']}"
    assert got.message["From"] == "Mail <noreply@mail.test>"
    assert got.rcpt_tos == ["ada@example.com"]


async def test_an_action_that_rolls_back_sends_nothing(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    failed = await client.post(
        "/operations/invite", json={"email": "eve@example.com", "fail": True}
    )
    assert failed.status_code == 409
    assert (await client.post("/operations/count")).json() == 0
    ok = await client.post("/operations/invite", json={"email": "ada@example.com"})
    assert ok.status_code == 200
    await settled(client)
    assert [r.rcpt_tos for r in smtp.inbox.received] == [["ada@example.com"]]
    assert smtp.inbox.data_attempts == 1  # the rolled-back one never reached the server


async def test_a_failing_server_never_fails_the_request(
    client: httpx.AsyncClient, smtp: SmtpServer
) -> None:
    smtp.inbox.refuse_data += ["451 4.3.0 busy", "451 4.3.0 still busy"]
    response = await client.post("/operations/invite", json={"email": "ada@example.com"})
    assert response.status_code == 200
    await settled(client)
    assert smtp.inbox.data_attempts == 3 and len(smtp.inbox.received) == 1


async def test_a_permanent_refusal_is_logged_and_the_request_still_succeeds(
    client: httpx.AsyncClient, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.inbox.refuse_rcpt["nobody@example.com"] = "550 5.1.1 no such user"
    with caplog.at_level(logging.INFO, "sentinel.email"):
        response = await client.post("/operations/invite", json={"email": "nobody@example.com"})
        assert response.status_code == 200
        await settled(client)
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "NOT delivered" in error.getMessage() and "550" in error.getMessage()
    assert error.request_id == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert "Join us" not in caplog.text


async def test_shutdown_delivers_what_is_queued(database_url: str, smtp: SmtpServer) -> None:
    environ = {"DATABASE_URL": database_url, **smtp.env()}
    app = create_app(DECL, environ=environ, dotenv=None)
    async with app.router.lifespan_context(app):
        database = app.state.sentinel.database
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for n in range(3):
                response = await client.post("/operations/invite", json={"email": f"u{n}@x.io"})
                assert response.status_code == 200
    # Leaving the lifespan closed the mailer, which finished the deliveries first.
    assert sorted(r.rcpt_tos[0] for r in smtp.inbox.received) == ["u0@x.io", "u1@x.io", "u2@x.io"]


def test_an_smtp_app_without_smtp_host_does_not_start(database_url: str) -> None:
    with pytest.raises(SettingsError, match="missing environment variable SMTP_HOST"):
        create_app(DECL, environ={"DATABASE_URL": database_url}, dotenv=None)


async def hello(args: None, context: Context) -> str:
    await context.email.send(to="ada@example.com", subject="s", text="t")
    return "sent"


async def test_without_email_sender_context_email_says_what_to_declare() -> None:
    seen: list[BaseException] = []

    async def attempt(args: None, context: Context) -> str:
        try:
            await context.email.send(to="ada@example.com", subject="s", text="t")
        except FeatureNotAvailable as error:
            seen.append(error)
        return "done"

    decl = AppDecl(
        name="NoMail", title="NoMail", operations=(Operation("a", "a", "action", attempt),)
    )
    async with serve(decl) as client:
        assert (await client.post("/operations/a")).status_code == 200
    (error,) = seen
    assert "declare `emailSender`" in str(error)


async def test_an_app_without_a_database_sends_after_the_call(smtp: SmtpServer) -> None:
    decl = AppDecl(
        name="Plain",
        title="Plain",
        operations=(Operation("hello", "hello", "action", hello),),
        email_sender=EmailSenderDecl("SMTP", "noreply@mail.test"),
    )
    async with serve(decl, environ=smtp.env()) as client:
        assert (await client.post("/operations/hello")).json() == "sent"
        await settled(client)
    assert len(smtp.inbox.received) == 1

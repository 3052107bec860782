"""The SMTP sender and the whole mailer against a real aiosmtpd server on loopback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinel_spec.contract.declarations import EmailSenderDecl
from sentinel_spec.runtime.email.config import make_sender
from sentinel_spec.runtime.email.feature import build_mailer
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.mailer import Mailer
from sentinel_spec.runtime.email.message import Address, EmailMessage
from tests.mail_servers import Tls, smtp_server, tls_material

pytestmark = pytest.mark.slow

FROM = Address("noreply@sentineliq.dev", "SentinelIQ")


@pytest.fixture
def tls(tmp_path: Path) -> Iterator[Tls]:
    with tls_material(tmp_path) as material:
        yield material


def message(subject: str = "Hello", to: str = "ada@example.com") -> EmailMessage:
    return EmailMessage(
        to=[f"Ada Lovelace <{to}>"],
        subject=subject,
        text="Plain body ✓",
        html="<p>HTML body ✓</p>",
        from_=FROM,
        message_id=f"<{subject.replace(' ', '-')}@sentineliq.dev>",
    )


async def deliver(env: dict[str, str], *messages: EmailMessage) -> list[object]:
    sender = make_sender("SMTP", env)
    try:
        return list(await sender.deliver(messages))
    finally:
        await sender.aclose()


async def test_plain_smtp_delivers_the_whole_message() -> None:
    with smtp_server() as server:
        assert await deliver(server.env(), message("Plain")) == [None]
    (got,) = server.inbox.received
    assert got.mail_from == "noreply@sentineliq.dev"
    assert got.rcpt_tos == ["ada@example.com"]
    assert not got.tls
    parsed = got.message
    assert parsed["Subject"] == "Plain"
    assert parsed["From"] == "SentinelIQ <noreply@sentineliq.dev>"
    assert parsed["To"] == "Ada Lovelace <ada@example.com>"
    assert parsed["Message-ID"] == "<Plain@sentineliq.dev>"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().strip() == "Plain body ✓"
    assert parts[1].get_content().strip() == "<p>HTML body ✓</p>"


async def test_starttls_is_used_when_offered_and_the_certificate_checked(tls: Tls) -> None:
    with smtp_server(starttls=tls.server_context) as server:
        assert await deliver(server.env(SMTP_CA_FILE=tls.ca_file), message("Secure")) == [None]
        (got,) = server.inbox.received
        assert got.tls
        # Without the CA the self-signed chain is refused: never sent, permanently.
        (failure,) = await deliver(server.env(), message("Untrusted"))
    assert failure is not None and not failure.retryable  # type: ignore[attr-defined]
    assert "not trusted" in failure.reason and "SMTP_CA_FILE" in failure.reason  # type: ignore[attr-defined]
    assert len(server.inbox.received) == 1


async def test_implicit_tls(tls: Tls) -> None:
    with smtp_server(implicit_tls=tls.server_context) as server:
        env = server.env(SMTP_TLS="true", SMTP_CA_FILE=tls.ca_file)
        assert await deliver(env, message("Implicit")) == [None]
    (got,) = server.inbox.received
    assert got.message["Subject"] == "Implicit"


async def test_auth_with_good_credentials(tls: Tls) -> None:
    users = {"mailer": "correct horse"}
    with smtp_server(starttls=tls.server_context, users=users) as server:
        env = server.env(
            SMTP_CA_FILE=tls.ca_file, SMTP_USERNAME="mailer", SMTP_PASSWORD="correct horse"
        )
        assert await deliver(env, message("Authed")) == [None]
    (got,) = server.inbox.received
    assert got.authenticated and got.tls


async def test_auth_with_bad_credentials_fails_permanently(tls: Tls) -> None:
    with smtp_server(starttls=tls.server_context, users={"mailer": "right"}) as server:
        env = server.env(SMTP_CA_FILE=tls.ca_file, SMTP_USERNAME="mailer", SMTP_PASSWORD="wrong")
        (failure,) = await deliver(env, message("Denied"))
    assert failure is not None and not failure.retryable  # type: ignore[attr-defined]
    assert "535" in failure.reason  # type: ignore[attr-defined]
    assert server.inbox.received == [] and server.inbox.auth_attempts >= 1


async def test_credentials_are_never_sent_over_plain_text() -> None:
    with smtp_server() as server:  # no STARTTLS offered
        env = server.env(SMTP_USERNAME="mailer", SMTP_PASSWORD="secret")
        (failure,) = await deliver(env, message())
        (required,) = await deliver(server.env(SMTP_REQUIRE_TLS="true"), message())
    for refused in (failure, required):
        assert refused is not None and not refused.retryable  # type: ignore[attr-defined]
        assert "plain text" in refused.reason  # type: ignore[attr-defined]
    assert server.inbox.received == [] and server.inbox.auth_attempts == 0


async def test_a_refused_recipient_is_permanent_and_a_busy_server_temporary() -> None:
    with smtp_server() as server:
        server.inbox.refuse_rcpt["nobody@example.com"] = "550 5.1.1 no such user"
        server.inbox.refuse_data.append("451 4.3.0 try again later")
        outcomes = await deliver(
            server.env(), message("Busy"), message("Unknown", to="nobody@example.com")
        )
    busy, unknown = outcomes
    assert busy is not None and busy.retryable and "451" in busy.reason  # type: ignore[attr-defined]
    assert unknown is not None and not unknown.retryable  # type: ignore[attr-defined]
    assert "550" in unknown.reason  # type: ignore[attr-defined]


async def test_an_unreachable_server_is_worth_retrying() -> None:
    with smtp_server() as server:
        port = server.port
    (failure,) = await deliver({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}, message())
    assert failure is not None and failure.retryable  # type: ignore[attr-defined]


def mailer_for(env: dict[str, str], templates_dir: Path | None = None) -> Mailer:
    return build_mailer(
        EmailSenderDecl("SMTP", FROM.email, FROM.name), env, templates_dir=templates_dir
    )


async def test_a_server_failing_the_first_attempts_gets_the_message_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with smtp_server() as server:
        server.inbox.refuse_data += ["451 4.3.0 busy", "421 4.3.2 shutting down"]
        mailer = mailer_for(server.env(EMAIL_RETRY_BASE_SECONDS="0.05"))
        with caplog.at_level(logging.INFO, "sentinel.email"):
            await mailer.send(to="ada@example.com", subject="Retried", text="hi")
            assert isinstance(mailer.queue, InProcessDeliveryQueue)
            await asyncio.wait_for(mailer.queue.wait_idle(), 10)
        await mailer.aclose()
    assert server.inbox.data_attempts == 3
    (got,) = server.inbox.received
    assert got.message["Subject"] == "Retried"
    assert "email sent via smtp" in caplog.text and "(attempt 3)" in caplog.text


async def test_a_batch_goes_over_one_connection() -> None:
    with smtp_server() as server:
        mailer = mailer_for(server.env())
        await mailer.send_batch(
            [
                EmailMessage(to=f"user{i}@example.com", subject=f"Digest {i}", text="x")
                for i in range(5)
            ]
        )
        assert isinstance(mailer.queue, InProcessDeliveryQueue)
        await asyncio.wait_for(mailer.queue.wait_idle(), 10)
        await mailer.aclose()
    assert sorted(r.message["Subject"] for r in server.inbox.received) == [
        f"Digest {i}" for i in range(5)
    ]
    assert server.inbox.connections == 1
    assert len({r.peer for r in server.inbox.received}) == 1


async def test_a_templated_send_arrives_rendered(tmp_path: Path) -> None:
    emails = tmp_path / "emails"
    emails.mkdir()
    (emails / "alert.txt").write_text(
        '{% extends "emails/layout.txt" %}{% block subject %}Alert: {{ what }}{% endblock %}'
        "{% block content %}Look at {{ what }}{% endblock %}"
    )
    (emails / "alert.html").write_text(
        '{% extends "emails/layout.html" %}{% block subject %}Alert: {{ what }}{% endblock %}'
        "{% block content %}<p>Look at {{ what }}</p>{% endblock %}"
    )
    with smtp_server() as server:
        mailer = mailer_for(server.env(), tmp_path)
        await mailer.send(to="ada@example.com", template="alert", data={"what": "<R&D>"})
        assert isinstance(mailer.queue, InProcessDeliveryQueue)
        await asyncio.wait_for(mailer.queue.wait_idle(), 10)
        await mailer.aclose()
    (got,) = server.inbox.received
    parsed = got.message
    assert parsed["Subject"] == "Alert: <R&D>"
    text, html = (p.get_content() for p in parsed.iter_parts())
    assert "Look at <R&D>" in text
    assert "<p>Look at &lt;R&amp;D&gt;</p>" in html

"""The SendGrid sender against a loopback stub speaking the v3 Mail Send wire format."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator

import pytest

from sentinel_spec.contract.declarations import EmailSenderDecl
from sentinel_spec.runtime.email.config import make_sender
from sentinel_spec.runtime.email.feature import build_mailer
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.message import Address, EmailMessage
from tests.mail_servers import SendGridStub, sendgrid_stub

pytestmark = pytest.mark.slow

KEY = "SG.test-key.0123456789"
FROM = Address("noreply@sentineliq.dev", "SentinelIQ")


@pytest.fixture
def stub() -> Iterator[SendGridStub]:
    with sendgrid_stub() as server:
        yield server


def env(stub: SendGridStub, **more: str) -> dict[str, str]:
    return {"SENDGRID_API_KEY": KEY, "SENDGRID_API_URL": stub.url, **more}


async def deliver(stub: SendGridStub, *messages: EmailMessage) -> list[object]:
    sender = make_sender("SendGrid", env(stub))
    try:
        return list(await sender.deliver(messages))
    finally:
        await sender.aclose()


def full_message() -> EmailMessage:
    return EmailMessage(
        to=["Ada Lovelace <ada@example.com>", "bob@example.com"],
        subject="Incident [HIGH]",
        text="Plain ✓",
        html="<p>HTML ✓</p>",
        from_=FROM,
        reply_to="SOC <soc@sentineliq.dev>",
        headers={"X-Campaign": "alerts"},
        message_id="<m1@sentineliq.dev>",
    )


async def test_a_message_is_posted_in_the_v3_shape_with_the_bearer_key(stub: SendGridStub) -> None:
    assert await deliver(stub, full_message()) == [None]
    (request,) = stub.requests
    assert (request.method, request.path) == ("POST", "/v3/mail/send")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "personalizations": [
            {
                "to": [
                    {"email": "ada@example.com", "name": "Ada Lovelace"},
                    {"email": "bob@example.com"},
                ]
            }
        ],
        "from": {"email": "noreply@sentineliq.dev", "name": "SentinelIQ"},
        "reply_to": {"email": "soc@sentineliq.dev", "name": "SOC"},
        "subject": "Incident [HIGH]",
        "content": [
            {"type": "text/plain", "value": "Plain ✓"},
            {"type": "text/html", "value": "<p>HTML ✓</p>"},
        ],
        "headers": {"X-Campaign": "alerts"},
    }


async def test_several_reply_to_addresses_use_reply_to_list(stub: SendGridStub) -> None:
    message = EmailMessage(
        to="ada@example.com",
        subject="s",
        html="<p>only html</p>",
        from_=FROM,
        reply_to=["a@sentineliq.dev", "b@sentineliq.dev"],
    )
    assert await deliver(stub, message) == [None]
    body = stub.requests[0].json()
    assert "reply_to" not in body
    assert body["reply_to_list"] == [{"email": "a@sentineliq.dev"}, {"email": "b@sentineliq.dev"}]
    assert body["content"] == [{"type": "text/html", "value": "<p>only html</p>"}]


async def test_rate_limited_then_accepted_is_retried_and_sent_once(
    stub: SendGridStub, caplog: pytest.LogCaptureFixture
) -> None:
    too_many = json.dumps({"errors": [{"message": "too many requests"}]}).encode()
    stub.script.append((429, {"Retry-After": "0"}, too_many))
    mailer = build_mailer(
        EmailSenderDecl("SendGrid", FROM.email, FROM.name),
        env(stub, EMAIL_RETRY_BASE_SECONDS="0.05"),
        templates_dir=None,
    )
    with caplog.at_level(logging.INFO, "sentinel.email"):
        await mailer.send(to="ada@example.com", subject="Later", text="t")
        assert isinstance(mailer.queue, InProcessDeliveryQueue)
        await asyncio.wait_for(mailer.queue.wait_idle(), 10)
    await mailer.aclose()
    assert len(stub.requests) == 2
    assert stub.requests[0].json() == stub.requests[1].json()
    assert "429" in caplog.text and "too many requests" in caplog.text
    assert "email sent via sendgrid" in caplog.text and "(attempt 2)" in caplog.text


async def test_a_bad_request_is_permanent_with_sendgrids_reason(stub: SendGridStub) -> None:
    errors = {
        "errors": [
            {
                "message": "The from address does not match a verified Sender Identity",
                "field": "from",
            }
        ]
    }
    stub.script.append((400, {"Content-Type": "application/json"}, json.dumps(errors).encode()))
    (failure,) = await deliver(stub, full_message())
    assert failure is not None and not failure.retryable  # type: ignore[attr-defined]
    assert "400" in failure.reason and "verified Sender Identity (from)" in failure.reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (503, True), (401, False), (413, False)]
)
async def test_server_errors_are_retryable_and_other_client_errors_not(
    stub: SendGridStub, status: int, retryable: bool
) -> None:
    stub.script.append((status, {}, b""))
    (failure,) = await deliver(stub, full_message())
    assert failure is not None and failure.retryable is retryable  # type: ignore[attr-defined]


async def test_a_batch_is_one_request_per_message_over_the_same_client(stub: SendGridStub) -> None:
    messages = [
        EmailMessage(to=f"u{i}@example.com", subject=f"n{i}", text="t", from_=FROM)
        for i in range(6)
    ]
    assert await deliver(stub, *messages) == [None] * 6
    assert sorted(r.json()["subject"] for r in stub.requests) == [f"n{i}" for i in range(6)]


async def test_an_unreachable_api_is_worth_retrying() -> None:
    with sendgrid_stub() as gone:
        url = gone.url
    sender = make_sender("SendGrid", {"SENDGRID_API_KEY": KEY, "SENDGRID_API_URL": url})
    (failure,) = await sender.deliver([full_message()])
    await sender.aclose()
    assert failure is not None and failure.retryable  # type: ignore[attr-defined]

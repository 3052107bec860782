"""The mailer: composing from templates, defaults, unit-of-work binding, batch checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from sentinel_spec.runtime.email.mailer import Mailer
from sentinel_spec.runtime.email.message import Address, EmailMessage, InvalidEmail
from sentinel_spec.runtime.email.rendering import EmailTemplates
from sentinel_spec.runtime.state import SessionScopeLike
from tests.unit.email.fakes import FakeUnitOfWork


class RecordingQueue:
    def __init__(self) -> None:
        self.queued: list[tuple[list[EmailMessage], SessionScopeLike | None]] = []
        self.closed_with: float | None = None

    async def enqueue(
        self, messages: Sequence[EmailMessage], *, unit_of_work: SessionScopeLike | None = None
    ) -> None:
        self.queued.append((list(messages), unit_of_work))

    async def aclose(self, grace_seconds: float) -> None:
        self.closed_with = grace_seconds


@pytest.fixture
def templates(tmp_path: Path) -> EmailTemplates:
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "layout.txt").write_text("{% block content %}{% endblock %}")
    (folder / "welcome.txt").write_text(
        '{% extends "emails/layout.txt" %}'
        "{% block subject %}Welcome, {{ name }}{% endblock %}"
        "{% block content %}Hi {{ name }}{% endblock %}"
    )
    (folder / "welcome.html").write_text("<p>Hi {{ name }}</p>")
    return EmailTemplates(tmp_path)


def make(templates: EmailTemplates | None = None) -> tuple[Mailer, RecordingQueue]:
    queue = RecordingQueue()
    sender = Address("noreply@sentineliq.dev", "SentinelIQ")
    return Mailer(queue, default_from=sender, templates=templates), queue


async def test_send_renders_the_template_and_fills_in_sender_and_message_id(
    templates: EmailTemplates,
) -> None:
    mailer, queue = make(templates)
    await mailer.send(to="Ada <ada@example.com>", template="welcome", data={"name": "Ada"})
    ((message,), unit_of_work) = queue.queued[0]
    assert unit_of_work is None
    assert message.subject == "Welcome, Ada"
    assert (message.text, message.html) == ("Hi Ada", "<p>Hi Ada</p>")
    assert message.from_ == Address("noreply@sentineliq.dev", "SentinelIQ")
    assert message.message_id is not None and message.message_id.endswith("@sentineliq.dev>")
    assert message.template == "welcome"


async def test_an_explicit_subject_and_sender_win(templates: EmailTemplates) -> None:
    mailer, queue = make(templates)
    await mailer.send(
        to=["ada@example.com", "bob@example.com"],
        subject="Custom",
        template="welcome",
        data={"name": "Ada"},
        from_="alerts@sentineliq.dev",
        reply_to="soc@sentineliq.dev",
    )
    ((message,), _) = queue.queued[0]
    assert message.subject == "Custom"
    assert message.from_ == Address("alerts@sentineliq.dev")
    assert [a.email for a in message.reply_to] == ["soc@sentineliq.dev"]


async def test_send_without_a_template(templates: EmailTemplates) -> None:
    mailer, queue = make(templates)
    await mailer.send(to="ada@example.com", subject="Plain", text="hello")
    ((message,), _) = queue.queued[0]
    assert (message.subject, message.text, message.html) == ("Plain", "hello", None)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "no subject"}, "no subject"),
        ({"template": "welcome", "data": {"name": "A"}, "text": "x"}, "not both"),
        ({"subject": "s", "text": "t", "data": {"x": 1}}, "data= is for templates"),
        ({"subject": "s"}, "needs a body"),
        ({"subject": "a\r\nBcc: eve@evil.test", "text": "t"}, "header injection"),
    ],
)
async def test_mistakes_raise_at_the_call_and_queue_nothing(
    templates: EmailTemplates, fields: dict[str, object], error: str
) -> None:
    mailer, queue = make(templates)
    with pytest.raises(InvalidEmail, match=error):
        await mailer.send(to="ada@example.com", **fields)  # type: ignore[arg-type]
    assert queue.queued == []


async def test_without_a_default_sender_from_is_required() -> None:
    queue = RecordingQueue()
    mailer = Mailer(queue)
    with pytest.raises(InvalidEmail, match="defaultFrom"):
        await mailer.send(to="ada@example.com", subject="s", text="t")
    await mailer.send(to="ada@example.com", subject="s", text="t", from_="me@example.com")
    assert len(queue.queued) == 1


async def test_a_bound_mailer_hands_its_unit_of_work_to_the_queue(
    templates: EmailTemplates,
) -> None:
    mailer, queue = make(templates)
    unit_of_work = FakeUnitOfWork()
    bound = mailer.bind(unit_of_work)
    assert bound.bind(unit_of_work) is bound
    await bound.send(to="ada@example.com", subject="s", text="t")
    await bound.send_batch([EmailMessage(to="bob@example.com", subject="b", text="t")])
    assert [uow for _, uow in queue.queued] == [unit_of_work, unit_of_work]
    assert mailer.unit_of_work is None


async def test_send_batch_checks_every_message_before_queueing_any() -> None:
    queue = RecordingQueue()
    mailer = Mailer(queue)  # no default sender
    good = EmailMessage(to="a@example.com", subject="1", text="t", from_="me@example.com")
    bad = EmailMessage(to="b@example.com", subject="2", text="t")
    with pytest.raises(InvalidEmail):
        await mailer.send_batch([good, bad])
    assert queue.queued == []
    await mailer.send_batch([good, good.replace(subject="3")])
    (batch, _) = queue.queued[0]
    assert [m.subject for m in batch] == ["1", "3"]
    assert all(m.message_id for m in batch)


async def test_aclose_passes_the_configured_grace() -> None:
    queue = RecordingQueue()
    await Mailer(queue, shutdown_grace_seconds=3).aclose()
    assert queue.closed_with == 3


async def test_use_queue_swaps_the_delivery_queue_for_later_sends() -> None:
    first, second = RecordingQueue(), RecordingQueue()
    mailer = Mailer(first, default_from=Address("noreply@example.com"))
    assert mailer.use_queue(second) is first
    await mailer.bind(FakeUnitOfWork()).send(to="a@example.com", subject="s", text="t")
    assert first.queued == [] and len(second.queued) == 1


def test_user_code_imports_email_message_from_the_runtime() -> None:
    from sentinel_spec import runtime

    assert runtime.EmailMessage is EmailMessage
    assert runtime.InvalidEmail is InvalidEmail

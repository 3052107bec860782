"""The retry schedule and the in-process delivery queue, on an injected clock."""

from __future__ import annotations

import asyncio
import logging

import pytest

from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.retry import RetryPolicy
from sentinel_spec.runtime.email.sender import DeliveryFailure
from tests.unit.email.fakes import FakeClock, FakeUnitOfWork, ScriptedSender, message

TEMPORARY = DeliveryFailure.temporary("451 try again later")
PERMANENT = DeliveryFailure.permanent("550 no such user")


def test_backoff_doubles_up_to_the_cap_and_jitter_only_shortens_it() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=10, jitter=0.5)
    assert [policy.backoff(n, 0.0) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
    assert policy.backoff(3, 0.5) == pytest.approx(3.0)  # 4 * (1 - 0.5 * 0.5)
    assert policy.backoff(3, 0.999_999) == pytest.approx(2.0, abs=1e-5)


def test_next_delay_is_bounded_in_attempts_and_in_total_time() -> None:
    policy = RetryPolicy(max_attempts=4, base_delay=1, max_delay=60, max_elapsed=100, jitter=0)
    assert [policy.next_delay(n, 0, 0.0) for n in (1, 2, 3, 4)] == [1, 2, 4, None]
    assert policy.next_delay(1, 99.5, 0.0) is None  # would start after 100 s
    assert policy.next_delay(1, 98.5, 0.0) == 1


def test_a_providers_retry_after_lengthens_the_wait_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=30, jitter=0)
    assert policy.next_delay(1, 0, 0.0, retry_after=12) == 12
    assert policy.next_delay(1, 0, 0.0, retry_after=0.1) == 1
    assert policy.next_delay(1, 0, 0.0, retry_after=3600) == 30


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(jitter=2)


def queue_with(
    script: list[DeliveryFailure | None], policy: RetryPolicy | None = None, fraction: float = 0.0
) -> tuple[InProcessDeliveryQueue, ScriptedSender, FakeClock]:
    clock = FakeClock()
    sender = ScriptedSender(clock, script)
    queue = InProcessDeliveryQueue(
        sender,
        policy=policy or RetryPolicy(max_attempts=5, base_delay=1, jitter=0.5),
        clock=clock,
        random_fraction=lambda: fraction,
    )
    return queue, sender, clock


async def test_a_failing_message_is_retried_on_the_backoff_schedule_then_delivered_once() -> None:
    queue, sender, _ = queue_with([TEMPORARY, TEMPORARY, TEMPORARY, None], fraction=0.5)
    await queue.enqueue([message("welcome")])
    await asyncio.wait_for(queue.wait_idle(), 5)
    # Attempts at 0, then after 0.75, 1.5 and 3 s (1, 2, 4 s each shortened by 25 % jitter).
    assert [when for when, _ in sender.attempts] == [0, 0.75, 2.25, 5.25]
    assert [m.subject for m in sender.delivered] == ["welcome"]
    await queue.aclose(1)


async def test_retries_stop_after_max_attempts_with_one_loud_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue, sender, _ = queue_with([TEMPORARY] * 10, RetryPolicy(max_attempts=3, jitter=0))
    with caplog.at_level(logging.INFO, "sentinel.email"):
        await queue.enqueue([message("digest")])
        await asyncio.wait_for(queue.wait_idle(), 5)
    assert len(sender.attempts) == 3
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "NOT delivered" in errors[0].getMessage() and "3 attempts" in errors[0].getMessage()
    assert "451 try again later" in errors[0].getMessage()
    assert all("SECRET-TOKEN" not in r.getMessage() for r in caplog.records)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # one per retry scheduled


async def test_retries_stop_when_the_total_time_would_be_exceeded() -> None:
    policy = RetryPolicy(max_attempts=50, base_delay=10, max_delay=10, max_elapsed=25, jitter=0)
    queue, sender, _ = queue_with([TEMPORARY] * 50, policy)
    await queue.enqueue([message()])
    await asyncio.wait_for(queue.wait_idle(), 5)
    assert [when for when, _ in sender.attempts] == [0, 10, 20]


async def test_a_permanent_failure_is_not_retried_and_logged_without_the_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue, sender, _ = queue_with([PERMANENT])
    with caplog.at_level(logging.INFO, "sentinel.email"):
        await queue.enqueue([message("reset")])
        await asyncio.wait_for(queue.wait_idle(), 5)
    assert len(sender.attempts) == 1
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    text = error.getMessage()
    assert "550 no such user" in text and "ada@example.com" in text and "'reset'" in text
    assert "SECRET-TOKEN" not in text
    assert error.email_to == ["ada@example.com"]  # type: ignore[attr-defined]


async def test_messages_due_together_go_in_one_batch_and_fail_independently() -> None:
    queue, sender, _ = queue_with([None, TEMPORARY, None, None])
    await queue.enqueue([message("a"), message("b"), message("c")])
    await asyncio.wait_for(queue.wait_idle(), 5)
    assert [subjects for _, subjects in sender.attempts] == [["a", "b", "c"], ["b"]]
    assert sorted(m.subject for m in sender.delivered) == ["a", "b", "c"]


async def test_a_sender_that_crashes_does_not_lose_the_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue, sender, _ = queue_with([])
    real_deliver = sender.deliver
    calls = 0

    async def flaky(messages):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("bug in the sender")
        return await real_deliver(messages)

    sender.deliver = flaky  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, "sentinel.email"):
        await queue.enqueue([message("x")])
        await asyncio.wait_for(queue.wait_idle(), 5)
    assert [m.subject for m in sender.delivered] == ["x"]
    assert "failed unexpectedly" in caplog.text


async def test_messages_of_a_unit_of_work_wait_for_its_commit() -> None:
    queue, sender, _ = queue_with([])
    committed, rolled_back = FakeUnitOfWork(), FakeUnitOfWork()
    await queue.enqueue([message("kept")], unit_of_work=committed)
    await queue.enqueue([message("dropped")], unit_of_work=rolled_back)
    await asyncio.sleep(0.01)
    assert sender.attempts == [] and queue.pending == 0
    rolled_back.rollback()
    committed.commit()
    await asyncio.wait_for(queue.wait_idle(), 5)
    assert [m.subject for m in sender.delivered] == ["kept"]
    await queue.aclose(1)
    assert sender.closed


async def test_shutdown_gives_waiting_retries_one_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=5, base_delay=1000, jitter=0)
    sender = ScriptedSender(None, [TEMPORARY, None])
    queue = InProcessDeliveryQueue(sender, policy=policy)  # the real clock: a 1000 s backoff
    await queue.enqueue([message("late")])
    for _ in range(100):
        if sender.attempts:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)
    assert queue.pending == 1  # waiting on its backoff
    await queue.aclose(5)
    assert [m.subject for m in sender.delivered] == ["late"]


async def test_what_shutdown_cannot_deliver_in_its_grace_period_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sender = ScriptedSender(None, [])
    sender.hold = asyncio.Event()  # the server never answers
    queue = InProcessDeliveryQueue(sender)
    await queue.enqueue([message("stuck"), message("also stuck")])
    await asyncio.sleep(0.01)
    with caplog.at_level(logging.ERROR, "sentinel.email"):
        await asyncio.wait_for(queue.aclose(0.05), 5)
    lost = [r.getMessage() for r in caplog.records if "shutdown before delivery" in r.getMessage()]
    assert len(lost) == 2
    assert "2 email(s) left undelivered at shutdown" in caplog.text
    assert sender.delivered == [] and sender.closed


async def test_a_message_queued_after_shutdown_is_logged_not_silently_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue, _, _ = queue_with([])
    await queue.aclose(1)
    with caplog.at_level(logging.ERROR, "sentinel.email"):
        await queue.enqueue([message("too late")])
    assert "queued after shutdown began" in caplog.text


async def test_delivery_logs_carry_the_request_id_of_the_sending_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from sentinel_spec.runtime.observability.request_id import reset_request_id, set_request_id

    queue, _, _ = queue_with([None])
    token = set_request_id("req-123")
    try:
        await queue.enqueue([message("traced")])
    finally:
        reset_request_id(token)
    with caplog.at_level(logging.INFO, "sentinel.email"):
        await asyncio.wait_for(queue.wait_idle(), 5)
    (sent,) = [r for r in caplog.records if "email sent" in r.getMessage()]
    assert sent.request_id == "req-123"  # type: ignore[attr-defined]

"""Test doubles for the email package's own seams (a clock, a sender, a unit of work)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.sender import DeliveryFailure, Outcomes


class FakeClock:
    """Time that moves only when the code under test sleeps: schedules run instantly."""

    def __init__(self) -> None:
        self.time = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds
        await asyncio.sleep(0)


class ScriptedSender:
    """Answers each attempt from a script: a ``DeliveryFailure`` or None (sent) per call;
    records when each batch was attempted and what it held."""

    name = "scripted"

    def __init__(
        self, clock: FakeClock | None = None, script: Sequence[DeliveryFailure | None] = ()
    ) -> None:
        self.clock = clock
        self.script = list(script)
        self.attempts: list[tuple[float, list[str]]] = []
        self.delivered: list[EmailMessage] = []
        self.closed = False
        self.hold: asyncio.Event | None = None  # set to make deliver() wait

    async def deliver(self, messages: Sequence[EmailMessage]) -> Outcomes:
        when = self.clock.now() if self.clock is not None else 0.0
        self.attempts.append((when, [m.subject for m in messages]))
        if self.hold is not None:
            await self.hold.wait()
        outcomes: Outcomes = []
        for message in messages:
            outcome = self.script.pop(0) if self.script else None
            if outcome is None:
                self.delivered.append(message)
            outcomes.append(outcome)
        return outcomes

    async def aclose(self) -> None:
        self.closed = True


class FakeUnitOfWork:
    """``on_commit`` as the runtime's SessionScope offers it: callbacks run on commit only."""

    def __init__(self) -> None:
        self.callbacks: list[Callable[[], Any]] = []

    @property
    def session(self) -> Any:
        raise AssertionError("email never touches the session of the in-process queue")

    def on_commit(self, callback: Callable[[], Any]) -> None:
        self.callbacks.append(callback)

    def commit(self) -> None:
        for callback in self.callbacks:
            callback()
        self.callbacks.clear()

    def rollback(self) -> None:
        self.callbacks.clear()


def message(subject: str = "hello", **fields: Any) -> EmailMessage:
    base: dict[str, Any] = {
        "to": "ada@example.com",
        "text": "body SECRET-TOKEN",
        "from_": "noreply@example.com",
        "message_id": f"<{subject.replace(' ', '-')}@example.com>",
    }
    base.update(fields)
    return EmailMessage(subject=subject, **base)

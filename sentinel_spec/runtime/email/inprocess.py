"""The in-process delivery queue: one asyncio task per server process sends what is due,
in batches (one SMTP connection each), and retries failures with ``RetryPolicy``.

Bounded on purpose: a message lives here at most ``policy.max_elapsed`` seconds and
dies with the process. Shutdown gives pending messages one last attempt within a
grace period and logs, at ERROR, every one still undelivered. The durable job-backed
queue (jobs feature) replaces this where mail must survive restarts.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import itertools
import logging
import random
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sentinel_spec.runtime.email.delivery import (
    log_retrying,
    log_sent,
    log_undeliverable,
)
from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.retry import Clock, RetryPolicy, SystemClock
from sentinel_spec.runtime.email.sender import DeliveryFailure, EmailSender, Outcomes
from sentinel_spec.runtime.observability.request_id import current_request_id

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import SessionScopeLike

log = logging.getLogger("sentinel.email")


@dataclass(order=True)
class _Pending:
    due: float
    seq: int
    message: EmailMessage = field(compare=False)
    queued_at: float = field(compare=False)
    request_id: str | None = field(compare=False, default=None)
    attempts: int = field(compare=False, default=0)
    last_failure: DeliveryFailure | None = field(compare=False, default=None)


class InProcessDeliveryQueue:
    """A ``DeliveryQueue`` held in memory. ``clock`` and ``random`` are injectable so the
    retry schedule can be checked exactly; ``batch_size`` caps one connection's load."""

    def __init__(
        self,
        sender: EmailSender,
        *,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        random_fraction: Callable[[], float] = random.random,
        batch_size: int = 50,
    ) -> None:
        self.sender = sender
        self.policy = policy or RetryPolicy()
        self._clock = clock or SystemClock()
        self._random = random_fraction
        self._batch_size = batch_size
        self._heap: list[_Pending] = []
        self._seq = itertools.count()
        self._in_flight: list[_Pending] = []
        self._left: list[_Pending] = []  # failed while shutting down
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._worker: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def pending(self) -> int:
        """Messages not yet delivered or given up on (waiting, retrying or in flight)."""
        return len(self._heap) + len(self._in_flight)

    async def enqueue(
        self, messages: Sequence[EmailMessage], *, unit_of_work: SessionScopeLike | None = None
    ) -> None:
        batch = tuple(messages)
        request_id = current_request_id()
        if unit_of_work is not None:
            unit_of_work.on_commit(lambda: self._accept(batch, request_id))
        else:
            self._accept(batch, request_id)

    def _accept(self, messages: Sequence[EmailMessage], request_id: str | None) -> None:
        if self._closing:
            for message in messages:
                log_undeliverable(message, None, 0, "queued after shutdown began", request_id)
            return
        if not messages:
            return
        now = self._clock.now()
        for message in messages:
            heapq.heappush(self._heap, _Pending(now, next(self._seq), message, now, request_id))
        self._idle.clear()
        self._start_worker()
        self._wake.set()

    def _start_worker(self) -> None:
        if self._worker is None or self._worker.done():
            # A fresh context: the worker outlives the request that started it, and must
            # not stamp that request's id on every later log line.
            self._worker = asyncio.get_running_loop().create_task(
                self._run(), name="sentinel-email-delivery", context=contextvars.Context()
            )

    async def wait_idle(self) -> None:
        """Until nothing is pending (tests; ``sentinel email send``)."""
        await self._idle.wait()

    async def _run(self) -> None:
        while True:
            if not self._heap:
                self._idle.set()
                if self._closing:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            now = self._clock.now()
            wait = self._heap[0].due - now
            if wait > 0:
                self._wake.clear()
                await self._sleep_or_wake(wait)
                continue
            batch: list[_Pending] = []
            while self._heap and self._heap[0].due <= now and len(batch) < self._batch_size:
                batch.append(heapq.heappop(self._heap))
            self._in_flight = batch
            outcomes = await self._deliver(batch)
            self._in_flight = []
            for item, outcome in zip(batch, outcomes, strict=True):
                self._settle(item, outcome)

    async def _sleep_or_wake(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()

    async def _deliver(self, batch: Sequence[_Pending]) -> Outcomes:
        try:
            outcomes = await self.sender.deliver([item.message for item in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} messages")
            return outcomes
        except Exception as error:  # a sender bug must not lose the messages
            log.exception("email sender %s failed unexpectedly", self.sender.name)
            failure = DeliveryFailure.temporary(f"{type(error).__name__}: {error}")
            return [failure] * len(batch)

    def _settle(self, item: _Pending, failure: DeliveryFailure | None) -> None:
        item.attempts += 1
        if failure is None:
            log_sent(item.message, self.sender.name, item.attempts, item.request_id)
            return
        item.last_failure = failure
        if not failure.retryable:
            log_undeliverable(item.message, failure, item.attempts, "refused", item.request_id)
            return
        if self._closing:
            self._left.append(item)
            return
        now = self._clock.now()
        delay = self.policy.next_delay(
            item.attempts, now - item.queued_at, self._random(), failure.retry_after
        )
        if delay is None:
            log_undeliverable(item.message, failure, item.attempts, "gave up", item.request_id)
            return
        log_retrying(item.message, failure, item.attempts, delay, item.request_id)
        item.due = now + delay
        heapq.heappush(self._heap, item)

    async def aclose(self, grace_seconds: float = 10.0) -> None:
        self._closing = True
        worker = self._worker
        if worker is not None and not worker.done():
            now = self._clock.now()
            for item in self._heap:  # one last attempt for what waits on a backoff
                item.due = now
            heapq.heapify(self._heap)
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(worker), grace_seconds)
            except TimeoutError:
                worker.cancel()
                with suppress(asyncio.CancelledError):
                    await worker
        left = [*self._in_flight, *self._heap, *self._left]
        self._in_flight, self._heap, self._left = [], [], []
        for item in left:
            log_undeliverable(
                item.message,
                item.last_failure,
                item.attempts,
                "shutdown before delivery",
                item.request_id,
            )
        if left:
            log.error("%d email(s) left undelivered at shutdown", len(left))
        self._idle.set()
        await self.sender.aclose()

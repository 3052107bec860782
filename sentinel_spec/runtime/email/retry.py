"""When to try a failed delivery again: exponential backoff with jitter, bounded both in
attempts and in total time. The clock is injectable so tests run the whole schedule
instantly and check it exactly.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """After failed attempt ``n`` wait ``min(max_delay, base_delay * 2**(n-1))``, of which
    the last ``jitter`` fraction is random (so many failed messages do not all retry at
    the same instant); give up after ``max_attempts`` attempts, or when the next attempt
    would start more than ``max_elapsed`` seconds after the message was queued.

    The defaults try 8 times over about two minutes (1, 2, 4 ... 64 s less jitter):
    enough for a relay restart or a rate-limit window, short enough that an in-process
    queue does not hold mail for long (a durable queue may be given more).
    """

    max_attempts: int = 8
    base_delay: float = 1.0
    max_delay: float = 300.0
    max_elapsed: float = 1800.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_elapsed < 0:
            raise ValueError("retry delays must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self, attempt: int, random_fraction: float) -> float:
        """The wait after failed attempt ``attempt`` (1-based); ``random_fraction`` in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling * (1 - self.jitter * random_fraction)

    def next_delay(
        self,
        attempts_made: int,
        elapsed: float,
        random_fraction: float,
        retry_after: float | None = None,
    ) -> float | None:
        """Seconds until the next attempt, or None to give up. ``retry_after`` (a
        provider's own request) lengthens the wait, up to ``max_delay``."""
        if attempts_made >= self.max_attempts:
            return None
        wait = self.backoff(attempts_made, random_fraction)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        if elapsed + wait > self.max_elapsed:
            return None
        return wait

"""``MemoryWindows``: the sliding window counter in this process's memory.

The same counter as ``limits``' MemoryStorage under its sliding window strategy (fixed
windows aligned on multiples of the window length; the previous window weighted by how
much of it the sliding window still covers), kept as one small list per key and counted
without an ``await``: the server-wide limit runs on every request, and the async
storage's three awaited calls cost about 15 µs of the 25 a check took.

A counter is alive for its own window and the next (where it is the previous one), as
in ``limits``; a sweep at most every ``sweep_every`` seconds drops the older ones, so
memory holds only the clients of the last two windows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sentinel_spec.runtime.state import RateLimitResult


def window_stats(
    limit: int,
    expiry: float,
    previous: int,
    previous_ttl: float,
    current: int,
    current_ttl: float,
) -> tuple[int, float]:
    """(remaining, seconds) from the two counters of a sliding window counter.

    The window counts ``previous * previous_ttl / expiry + current`` calls (the previous
    window weighted by how much of it the sliding window still covers); the current
    window ends in ``current_ttl - expiry`` seconds (both storages keep a counter alive for
    two windows). ``seconds`` is, when the budget is spent, the time until one more call
    fits (the honest ``Retry-After``), else the time until every counted call has left.
    """
    weighted = previous * previous_ttl / expiry + current
    remaining = max(0, limit - math.floor(weighted))
    window_end = max(0.0, current_ttl - expiry)
    if remaining > 0:
        if current:
            return remaining, window_end + expiry
        return remaining, previous_ttl if previous else 0.0
    if current < limit and previous:
        # The previous window's weight must drop until weighted < limit - current + 1.
        wait = previous_ttl - (limit - current) * expiry / previous
        if wait < window_end:
            return 0, max(0.0, wait) + 0.001
    # The current window alone is full: once it becomes the previous one, its weight
    # decays until current * (expiry - s) / expiry < limit.
    decay = expiry * (1 - limit / current) if current > limit else 0.0
    return 0, window_end + decay + 0.001


# (key, window seconds) -> [window index, count in that window, count in the one before]
Counters = dict[tuple[str, int], list[int]]


class MemoryWindows:
    def __init__(self, clock: Callable[[], float] = time.time, sweep_every: float = 30.0) -> None:
        self._clock = clock
        self._sweep_every = sweep_every
        self._next_sweep = clock() + sweep_every
        self._counters: Counters = {}

    def hit(self, key: str, limit: int, expiry: int, cost: int = 1) -> RateLimitResult:
        """Count ``cost`` calls of ``key`` against ``limit`` per ``expiry`` seconds."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        window = int(now // expiry)
        counter = self._counters.get((key, expiry))
        if counter is None:
            counter = self._counters[(key, expiry)] = [window, 0, 0]
        elif counter[0] != window:
            # The window moved on: this one's count becomes the previous one's, if the
            # counter's window is the one just before; else both are over.
            counter[2] = counter[1] if counter[0] == window - 1 else 0
            counter[0], counter[1] = window, 0
        current, previous = counter[1], counter[2]
        left_in_window = (1 - ((now / expiry) % 1)) * expiry
        previous_ttl = left_in_window if previous else 0.0
        weighted = previous * previous_ttl / expiry + current
        allowed = cost <= limit and math.floor(weighted) + cost <= limit
        if allowed:
            current = counter[1] = current + cost
        remaining, reset_after = window_stats(
            limit, expiry, previous, previous_ttl, current, left_in_window + expiry
        )
        return RateLimitResult(allowed, limit, remaining, reset_after)

    def clear(self) -> None:
        self._counters.clear()

    def __len__(self) -> int:
        return len(self._counters)

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + self._sweep_every
        stale = [
            key for key, (window, _, _) in self._counters.items() if window < int(now // key[1]) - 1
        ]
        for key in stale:
            del self._counters[key]

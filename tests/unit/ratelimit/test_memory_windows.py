"""``MemoryWindows`` counts exactly what limits' MemoryStorage counted under the sliding
window counter (the path it replaced), and forgets the clients of old windows."""

from __future__ import annotations

import math
import random
import time

import pytest
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage

from sentinel_spec.runtime.ratelimit.memory import MemoryWindows, window_stats
from sentinel_spec.runtime.state import RateLimitResult


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def with_limits_storage(
    storage: MemoryStorage, key: str, limit: int, expiry: int, cost: int, now: float
) -> RateLimitResult:
    """The replaced implementation: two reads and an increment on limits' storage."""
    previous_key, current_key = storage.sliding_window_keys(
        RateLimitItemPerSecond(limit, expiry).key_for(key), expiry, now
    )
    previous = await storage.get(previous_key)
    current = await storage.get(current_key)
    previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous else 0.0
    current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
    weighted = previous * previous_ttl / expiry + current
    allowed = cost <= limit and math.floor(weighted) + cost <= limit
    if allowed:
        current = await storage.incr(current_key, 2 * expiry, amount=cost)
    remaining, reset_after = window_stats(
        limit, expiry, previous, previous_ttl, current, current_ttl
    )
    return RateLimitResult(allowed, limit, remaining, reset_after)


@pytest.mark.parametrize("seed", range(5))
async def test_the_same_answers_as_limits_memory_storage(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    clock = Clock(1_700_000_000.0 + rng.random() * 60)
    monkeypatch.setattr(time, "time", clock)  # limits' storage reads time.time()
    ours = MemoryWindows(clock=clock)
    theirs = MemoryStorage()
    rules = [(5, 10), (20, 60), (3, 1)]
    for _ in range(3000):
        clock.now += rng.choice([0.0, 0.01, 0.3, 1.7, 4.0, 11.0, 25.0])
        limit, expiry = rng.choice(rules)
        key = rng.choice(["a", "b", "c"])
        cost = rng.choice([1, 1, 1, 2, 6])
        expected = await with_limits_storage(theirs, key, limit, expiry, cost, clock.now)
        got = ours.hit(f"{key}/{limit}", limit, expiry, cost)
        assert got.allowed == expected.allowed
        assert got.remaining == expected.remaining
        assert got.reset_after == pytest.approx(expected.reset_after, abs=1e-6)


def test_a_spent_budget_refuses_until_the_window_slides() -> None:
    clock = Clock(1_000.0)  # the start of a 10 s window
    windows = MemoryWindows(clock=clock)
    assert [windows.hit("k", 2, 10).allowed for _ in range(3)] == [True, True, False]
    clock.now += 10  # the next window: the previous one weighs 2 * 10/10, still full
    assert not windows.hit("k", 2, 10).allowed
    clock.now += 5  # half of it left: 2 * 0.5 = 1 call counted
    assert windows.hit("k", 2, 10).allowed
    clock.now += 20  # two windows later: nothing counted
    assert windows.hit("k", 2, 10).remaining == 1


def test_old_clients_are_swept() -> None:
    clock = Clock(1_000.0)
    windows = MemoryWindows(clock=clock, sweep_every=30)
    for client in range(100):
        windows.hit(f"ip-{client}", 10, 10)
    assert len(windows) == 100
    clock.now += 31  # past the sweep time and two windows
    windows.hit("ip-new", 10, 10)
    assert len(windows) == 1

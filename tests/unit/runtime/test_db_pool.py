"""The app engine's pool queue (``runtime/db/pool.py``): waiting callers are served in the
order they asked, a returned connection never goes to a newcomer while someone waits, and
a wait that times out or is cancelled leaves the line without losing a connection."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.util import queue as sa_queue
from sqlalchemy.util.concurrency import greenlet_spawn

from sentinel_spec.runtime.db.pool import FairAsyncQueuePool, FairQueue


async def take(queue: FairQueue[str], timeout: float | None = None) -> str:
    """``get`` as the pool calls it: blocking, inside SQLAlchemy's greenlet."""
    return await greenlet_spawn(queue.get, True, timeout)


async def test_an_idle_item_is_taken_at_once() -> None:
    queue: FairQueue[str] = FairQueue(2)
    queue.put_nowait("a")
    assert queue.qsize() == 1 and not queue.empty()
    assert await take(queue) == "a"
    assert queue.empty()
    with pytest.raises(sa_queue.Empty):
        queue.get(block=False)


async def test_waiters_are_served_in_the_order_they_asked() -> None:
    queue: FairQueue[str] = FairQueue(3)
    served: list[tuple[int, str]] = []

    async def waiter(index: int) -> None:
        served.append((index, await take(queue)))

    tasks = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0)
    assert queue.waiting == 3
    for item in ("x", "y", "z"):
        queue.put_nowait(item)
    await asyncio.gather(*tasks)
    assert served == [(0, "x"), (1, "y"), (2, "z")]


async def test_a_newcomer_does_not_take_what_was_returned_for_a_waiter() -> None:
    queue: FairQueue[str] = FairQueue(1)
    first = asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    queue.put_nowait("conn")  # handed to the waiter, not left in the queue
    assert queue.empty()
    with pytest.raises(sa_queue.Empty):
        queue.get(block=False)  # a newcomer asking right now finds nothing
    assert await asyncio.wait_for(first, 2) == "conn"


async def test_a_timed_out_wait_raises_empty_and_leaves_the_line() -> None:
    queue: FairQueue[str] = FairQueue(1)
    with pytest.raises(sa_queue.Empty):
        await take(queue, timeout=0.01)
    assert queue.waiting == 0
    queue.put_nowait("conn")  # kept for the next caller, not handed to the dead wait
    assert await take(queue) == "conn"


async def test_a_cancelled_wait_passes_its_turn_on() -> None:
    queue: FairQueue[str] = FairQueue(1)
    cancelled = asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    second = asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    queue.put_nowait("conn")
    assert await asyncio.wait_for(second, 2) == "conn"


async def test_an_item_handed_over_as_the_wait_ends_goes_to_the_next() -> None:
    queue: FairQueue[str] = FairQueue(1)
    first = asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    second = asyncio.create_task(take(queue))
    await asyncio.sleep(0)
    queue.put_nowait("conn")  # first's future now holds it...
    first.cancel()  # ...but it is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await asyncio.wait_for(second, 2) == "conn"
    assert queue.empty()


def test_the_pool_uses_the_fair_queue() -> None:
    pool = FairAsyncQueuePool(lambda: None, pool_size=2, max_overflow=0)
    assert isinstance(pool._pool, FairQueue)
    assert pool.size() == 2


def test_the_pool_logs_as_quietly_as_sqlalchemys_own(caplog: pytest.LogCaptureFixture) -> None:
    """With the app's logging at INFO, disposing the pool says nothing (SQLAlchemy's
    loggers stay at WARNING; a logger named after our module would not)."""
    from sentinel_spec.runtime.db.database import ReadScopePool

    caplog.set_level(logging.INFO)
    for pool_class in (FairAsyncQueuePool, ReadScopePool):
        pool = pool_class(lambda: None, pool_size=1)
        assert pool.logger.name.startswith("sqlalchemy.pool.")
        pool.dispose()
        assert not [r for r in caplog.records if "Pool disposed" in r.getMessage()]

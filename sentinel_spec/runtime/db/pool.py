"""The app engine's connection pool: SQLAlchemy's asyncio queue pool, waiting in turn.

SQLAlchemy's ``AsyncAdaptedQueue`` lets a newcomer take a connection that was just
returned for a caller already waiting (it tries ``get_nowait`` first, and a woken
``asyncio.Queue`` getter that finds the queue emptied by someone else waits again, at
the back). Under a load above the pool's size (``wrk -c32`` on a pool of 20) that made
the slowest requests wait for many turns: the query's p99 was several times its median.
``FairQueue`` hands a returned connection straight to the longest waiter, so callers get
connections in the order they asked; one that times out (``pool_timeout``) or is
cancelled leaves the line, and a connection handed to it just then goes to the next.
A wait is one future, not a task (``asyncio.wait_for`` made one per wait).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any, Generic, TypeVar

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util import queue as sa_queue
from sqlalchemy.util.concurrency import await_only

T = TypeVar("T")


class FairQueue(sa_queue.QueueCommon[T], Generic[T]):
    """The queue ``QueuePool`` keeps idle connections in, first come first served."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        self.maxsize = maxsize
        self.use_lifo = use_lifo
        self._items: deque[T] = deque()
        self._waiters: deque[asyncio.Future[T]] = deque()

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._items)

    def qsize(self) -> int:
        return len(self._items)

    @property
    def waiting(self) -> int:
        """Callers waiting for a connection now."""
        return sum(1 for waiter in self._waiters if not waiter.done())

    def put_nowait(self, item: T) -> None:
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():  # a waiter that timed out or was cancelled is skipped
                waiter.set_result(item)
                return
        if self.full():
            raise sa_queue.Full()
        self._items.append(item)

    def put(self, item: T, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # the pool never holds more than it made: never full

    def get_nowait(self) -> T:
        items = self._items
        if not items:
            raise sa_queue.Empty()
        return items.pop() if self.use_lifo else items.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> T:
        # Idle connections and waiters never coexist (a returned connection goes to a
        # waiter first), so taking an idle one jumps nobody's turn.
        if self._items or not block:
            return self.get_nowait()
        result: T = await_only(self._wait(timeout))
        return result

    async def _wait(self, timeout: float | None) -> T:
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            if timeout is None:
                return await waiter
            async with asyncio.timeout(timeout):
                return await waiter
        except TimeoutError:
            self._give_back(waiter)
            raise sa_queue.Empty() from None
        except BaseException:
            self._give_back(waiter)
            raise

    def _give_back(self, waiter: asyncio.Future[T]) -> None:
        """A wait that ends without taking its connection: leave the line, and pass on a
        connection handed over just as it ended."""
        if waiter.done() and not waiter.cancelled():
            self.put_nowait(waiter.result())
        else:
            waiter.cancel()
            with contextlib.suppress(ValueError):  # already handed over and skipped
                self._waiters.remove(waiter)


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    """``AsyncAdaptedQueuePool`` whose callers wait in turn (``FairQueue``)."""

    _queue_class: Any = FairQueue
    # SQLAlchemy names a pool's logger after its class's module: under ``sqlalchemy.`` it
    # stays at SQLAlchemy's WARNING, elsewhere it would inherit the app's INFO and log
    # every dispose and recreate.
    _sqla_logger_namespace = "sqlalchemy.pool.impl.FairAsyncQueuePool"

"""Cancelling a task for good: ``cancel_and_wait`` (the fan-out's listener, the job
queue's background checks and a worker's schema check use it at stop)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("sentinel.runtime")

RECANCEL_SECONDS = 0.1  # how often a task that carried on is cancelled again


async def cancel_and_wait(task: asyncio.Task[Any], timeout: float) -> bool:
    """Cancel ``task`` and wait for it to end, cancelling it again while it carries on;
    False when it is still running after ``timeout`` seconds (then it is left behind).

    One ``cancel()`` is not enough: a library can lose it. Python 3.11's
    ``asyncio.wait_for`` (which redis-py puts around every command it sends, and
    psycopg_pool around a wait for a connection) returns the inner result instead of
    raising when the cancellation arrives in the loop turn in which the inner await
    finished, and the cancelled task runs on. A cancellation of the caller
    is never swallowed here: it propagates (and ``task`` may be left running).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not task.done():
        remaining = deadline - loop.time()
        if remaining <= 0:
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=min(RECANCEL_SECONDS, remaining))
    if not task.cancelled() and task.exception() is not None:
        log.warning("%s ended with %r", task.get_name(), task.exception())
    return True

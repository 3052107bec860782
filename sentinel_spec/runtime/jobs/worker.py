"""``JobWorker``: procrastinate's worker, kept alive, plus the cron scheduler and the
housekeeping rounds.

- Jobs start within milliseconds of their commit: the worker LISTENs for procrastinate's
  NOTIFY (polling every ``poll_interval`` only as a fallback).
- The database going away (a restart, a failover) stops procrastinate's worker; this
  one reconnects with exponential backoff and starts it again. Runs that were cut off
  are recovered by the stalled-job round once their old worker id stops beating.
- ``stop()`` (SIGTERM in ``sentinel worker``) takes no new job, lets running ones finish
  for up to ``shutdown_timeout`` seconds, then releases what is left back to the queue
  (``JobReleased``) so another worker runs it, and unregisters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from procrastinate import worker as pworker

from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.jobs.errors import JobQueueNotReady
from sentinel_spec.runtime.jobs.maintenance import Maintenance
from sentinel_spec.runtime.jobs.schedule import Clock, CronScheduler, utc_now

if TYPE_CHECKING:
    from sentinel_spec.runtime.jobs.runtime import JobRuntime

log = logging.getLogger("sentinel.jobs.worker")

RECONNECT_FIRST = 0.5
RECONNECT_MAX = 30.0


class JobWorker:
    def __init__(
        self,
        runtime: JobRuntime,
        *,
        concurrency: int = 1,
        queues: Sequence[str] | None = None,
        name: str | None = None,
        shutdown_timeout: float = 30.0,
        poll_interval: float = 5.0,
        heartbeat_interval: float = 10.0,
        stalled_after: float = 30.0,
        maintenance_interval: float = 15.0,
        prune_interval: float = 3600.0,
        reconnect_max: float = RECONNECT_MAX,
        clock: Clock = utc_now,
        cron: bool = True,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.runtime = runtime
        self.concurrency = concurrency
        self.queues = list(queues) if queues else None
        self.name = name or "sentinel-worker"
        self.shutdown_timeout = shutdown_timeout
        self.poll_interval = poll_interval
        self.heartbeat_interval = heartbeat_interval
        self.stalled_after = stalled_after
        self.maintenance_interval = maintenance_interval
        self.prune_interval = prune_interval
        self.reconnect_max = reconnect_max
        self.scheduler = CronScheduler(
            runtime, list(runtime.decls.values()) if cron else [], clock=clock
        )
        self.maintenance = Maintenance(
            runtime, runtime.decls, stalled_after=stalled_after, retention=runtime.retention
        )
        self._stop = asyncio.Event()
        self._worker: pworker.Worker | None = None
        self.started = asyncio.Event()  # set each time procrastinate's worker is running
        self.restarts = 0

    @property
    def worker_id(self) -> int | None:
        return None if self._worker is None else self._worker.worker_id

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def pause(self, seconds: float) -> None:
        """Sleep, cut short by ``stop()``."""
        await self._sleep(seconds)

    def stop(self) -> None:
        """Stop taking jobs; running ones get ``shutdown_timeout`` to finish. Idempotent."""
        if self._stop.is_set():
            return
        log.info("worker %s stopping", self.name)
        self._stop.set()
        if self._worker is not None:
            self._worker.stop()  # type: ignore[no-untyped-call]

    async def run(self) -> None:
        """Work until ``stop()``. Raises ``JobQueueNotReady`` when the schema is missing."""
        await self.runtime.open()
        side = [
            asyncio.create_task(self._every(self.maintenance_interval, self._maintain)),
            asyncio.create_task(self._cron()),
        ]
        try:
            await self._supervise()
        finally:
            for task in side:
                task.cancel()
            await asyncio.gather(*side, return_exceptions=True)

    async def _supervise(self) -> None:
        backoff = RECONNECT_FIRST
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                # stop() cuts the check short: an unreachable database holds it for the
                # pool's whole connect timeout.
                if not await self._unless_stopped(self.runtime.check_schema()):
                    return
                self._worker = self._procrastinate_worker()
                self.started.set()
                await self._worker.run()  # type: ignore[no-untyped-call]
                if self._stop.is_set():
                    return
                # procrastinate's worker stops itself when a side task (its listener or
                # heartbeat) fails: nearly always the database going away.
                raise ConnectionError("the worker's database connection failed")
            except JobQueueNotReady:
                raise
            except Exception as error:
                if self._stop.is_set():
                    return
                if time.monotonic() - began > 60:  # it had been running fine: start over
                    backoff = RECONNECT_FIRST
                log.warning(
                    "worker %s lost the database (%s); reconnecting in %.1f s",
                    self.name,
                    str(error).strip().splitlines()[0] if str(error).strip() else type(error),
                    backoff,
                )
            finally:
                self.started.clear()
                self._worker = None
            self.restarts += 1
            await self._sleep(backoff)
            backoff = min(backoff * 2, self.reconnect_max)

    def _procrastinate_worker(self) -> pworker.Worker:
        return pworker.Worker(
            self.runtime.app,
            queues=self.queues,
            name=self.name,
            concurrency=self.concurrency,
            fetch_job_polling_interval=self.poll_interval,
            abort_job_polling_interval=self.poll_interval,
            shutdown_graceful_timeout=self.shutdown_timeout,
            listen_notify=True,
            install_signal_handlers=False,
            update_heartbeat_interval=self.heartbeat_interval,
            stalled_worker_timeout=self.stalled_after,
        )

    async def _cron(self) -> None:
        while not self._stop.is_set():
            try:
                await self.scheduler.run(self._stop)
                return
            except Exception as error:  # the database is away: the next round catches up
                log.warning("cron scheduler: %s; trying again", error)
                await self._sleep(min(self.maintenance_interval, 5.0))

    async def _maintain(self) -> None:
        now = time.monotonic()
        prune = now - self._last_prune >= self.prune_interval
        report = await self.maintenance.run_round(prune=prune)
        if report.ran and prune:
            self._last_prune = now

    _last_prune = float("-inf")

    async def _every(self, seconds: float, step: Callable[[], Awaitable[None]]) -> None:
        while not self._stop.is_set():
            try:
                await step()
            except Exception as error:
                log.warning("job housekeeping failed: %s; trying again", error)
            await self._sleep(seconds)

    async def _unless_stopped(self, step: Awaitable[None]) -> bool:
        """Await ``step`` unless ``stop()`` comes first (then cancel it): True when it ran
        to the end, its exception raised as its own."""
        work = asyncio.ensure_future(step)
        stopped = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            if not work.done() and not await cancel_and_wait(work, self.shutdown_timeout):
                log.error("worker %s: its schema check ignored stop(); left behind", self.name)
        if not work.done() or work.cancelled():
            return False
        work.result()
        return not self._stop.is_set()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

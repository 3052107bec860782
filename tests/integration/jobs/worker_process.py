"""A worker in a process of its own, for the tests that kill one (or several).

``python -m tests.integration.jobs.worker_process URL`` runs a worker with the tests' fast
settings on the jobs below; it prints ``ready <worker id>`` once it takes jobs.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

from sentinel_spec.contract.declarations import Job
from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from tests.integration.jobs.conftest import FAST, Done


async def slow_record(args: Any, context: Any) -> None:
    """Writes its row, then takes ``args["seconds"]``: a kill in between loses the row."""
    context.session.add(
        Done(job_id=context.job.id, label=str(args["label"]), attempt=context.job.attempt)
    )
    await asyncio.sleep(float(args.get("seconds", 0)))


JOBS = [Job("slowRecord", slow_record)]


async def main(url: str, concurrency: int) -> None:
    database = Database(url)
    runtime = JobRuntime(JOBS, url=url, database=database)
    worker = runtime.worker(**{**FAST, "concurrency": concurrency})
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, worker.stop)
    task = asyncio.create_task(worker.run())
    await worker.started.wait()
    print(f"ready {worker.worker_id}", flush=True)
    await task
    await runtime.close()
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1))

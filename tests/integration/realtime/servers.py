"""Serving the realtime test app: in this event loop, or as separate processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serving(app: Any, **config: Any) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn in this event loop, with the websocket options
    ``sentinel start`` gives it (``config`` overrides them); yields ``host:port``."""
    import uvicorn

    from sentinel_spec.runtime.realtime.settings import Heartbeat

    port = free_port()
    options = {**Heartbeat.from_env(os.environ).uvicorn_options(), **config}
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 15)


@asynccontextmanager
async def instance_processes(
    count: int,
    env: dict[str, str],
    module: str = "tests.integration.realtime.decl_app",
    ready: str = "/stats",
) -> AsyncIterator[list[str]]:
    """``count`` separate server processes of the test app; yields their ``host:port``s."""
    procs: list[subprocess.Popen[bytes]] = []
    addresses = []
    try:
        for _ in range(count):
            port = free_port()
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", module, str(port)],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                    start_new_session=True,
                )
            )
            addresses.append(f"127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient() as client:
            for proc, address in zip(procs, addresses, strict=True):
                while True:
                    assert proc.poll() is None, f"instance {address} exited"
                    try:
                        if (await client.get(f"http://{address}{ready}")).status_code < 500:
                            break
                    except httpx.HTTPError:
                        pass
                    assert time.monotonic() < deadline, f"{address} did not start"
                    await asyncio.sleep(0.1)
        yield addresses
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()

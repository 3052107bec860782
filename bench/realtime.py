"""Realtime bench: 1,000 websockets over 2 instances on one PostgreSQL (NOTIFY fan-out).

The instances serve the realtime test app (tests/integration/realtime/decl_app.py) with
real auth: one user signs up (verification mail from a loopback SMTP server), logs in,
and every socket presents that session. Prints publish rate (one publisher, one message
per unit of work, sequential HTTP calls), delivery latency p50/p99 from publish to
receipt on every socket (target p99 < 100 ms), and server memory per idle socket (RSS
growth of both instances / sockets). The baseline, measured in the same run on the same
database: raw PostgreSQL NOTIFY to one LISTENing psycopg connection, no HTTP and no
sockets, the floor the fan-out is built on.
Run by hand: ``DATABASE_URL=... python bench/realtime.py [--sockets 1000] [--messages 200]``.
Note the machine's load when reading the figures (``uptime`` is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.realtime.accounts import signed_in  # noqa: E402
from tests.integration.realtime.decl_app import metadata  # noqa: E402
from tests.integration.realtime.servers import instance_processes  # noqa: E402
from tests.mail_servers import SmtpServer, smtp_server  # noqa: E402


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pids_listening() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"tests.integration.realtime.decl_app" in argv:
                found.append(int(entry.name))
    return found


async def raw_notify_latency(url: str, messages: int) -> tuple[float, float]:
    """p50/p99 ms of NOTIFY -> a LISTENing connection's receipt (the baseline)."""
    listener = await psycopg.AsyncConnection.connect(url, autocommit=True)
    sender = await psycopg.AsyncConnection.connect(url, autocommit=True)
    await listener.execute("LISTEN bench_baseline")
    latencies: list[float] = []

    async def receive() -> None:
        async for notice in listener.notifies():
            latencies.append(time.time() - float(notice.payload))
            if len(latencies) >= messages:
                break

    task = asyncio.create_task(receive())
    await asyncio.sleep(0.2)
    for _ in range(messages):
        await sender.execute("SELECT pg_notify('bench_baseline', %s)", (repr(time.time()),))
    await asyncio.wait_for(task, 60)
    await listener.close()
    await sender.close()
    latencies.sort()
    return latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000


async def main(sockets: int, messages: int) -> None:
    server = os.environ["DATABASE_URL"]
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        metadata.create_all(engine)
        engine.dispose()
        base_p50, base_p99 = await raw_notify_latency(url, messages)
        env = {"DATABASE_URL": url, "REDIS_URL": "", "REALTIME_QUEUE_MESSAGES": "10000"}
        with smtp_server() as smtp:
            await served({**env, **smtp.env()}, smtp, sockets, messages, base_p50, base_p99)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def served(
    env: dict[str, str],
    smtp: SmtpServer,
    sockets: int,
    messages: int,
    base_p50: float,
    base_p99: float,
) -> None:
    async with instance_processes(2, env) as addresses:
        alice = await signed_in(addresses[0], smtp, "alice")
        pids = pids_listening()
        before = sum(rss_kib(p) for p in pids)
        conns = []
        for i in range(sockets):
            address = addresses[i % 2]
            ws = await websockets.connect(
                f"ws://{address}/ws/notifications?token={alice.session}", max_queue=None
            )
            await ws.recv()  # ready
            conns.append(ws)
        await asyncio.sleep(2)
        after = sum(rss_kib(p) for p in pids)
        latencies: list[float] = []
        done = asyncio.Event()

        async def reader(ws: websockets.ClientConnection) -> None:
            for _ in range(messages):
                frame = json.loads(await ws.recv())
                latencies.append(time.time() - frame["message"]["t"])
            if len(latencies) >= sockets * messages:
                done.set()

        tasks = [asyncio.create_task(reader(ws)) for ws in conns]
        start = time.monotonic()
        async with httpx.AsyncClient() as client:
            for _ in range(messages):
                await client.post(
                    f"http://{addresses[0]}/publish",
                    json={"channel": f"user:{alice.id}", "messages": [{"t": time.time()}]},
                )
        publish_seconds = time.monotonic() - start
        await asyncio.wait_for(asyncio.gather(*tasks), 120)
        for ws in conns:
            await ws.close()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(f"load: {os.getloadavg()}")
    print(f"sockets: {sockets} over 2 instances, messages: {messages}")
    rate = messages / publish_seconds
    print(f"publish rate: {rate:.0f} msg/s (sequential, one per transaction)")
    print(f"deliveries: {len(latencies)} ({len(latencies) / (time.monotonic() - start):.0f}/s)")
    print(f"latency p50: {p50:.1f} ms, p99: {p99:.1f} ms (target p99 < 100 ms)")
    print(
        f"baseline (raw NOTIFY -> LISTEN, same run): p50 {base_p50:.2f} ms, "
        f"p99 {base_p99:.2f} ms; ratio p50 {p50 / max(base_p50, 1e-3):.1f}x, "
        f"p99 {p99 / max(base_p99, 1e-3):.1f}x"
    )
    print(f"memory per idle socket: {(after - before) / sockets:.1f} KiB (server RSS)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    options = parser.parse_args()
    asyncio.run(main(options.sockets, options.messages))

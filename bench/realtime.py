"""Realtime bench: 1,000 websockets over 2 instances on one PostgreSQL (NOTIFY fan-out).

Prints publish rate (one publisher, one message per unit of work, sequential HTTP
calls), delivery latency p50/p99 from publish to receipt on every socket (target p99 <
100 ms), and server memory per idle socket (RSS growth of both instances / sockets).
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

from sentinel_spec.runtime.realtime.tables import define_realtime_tables  # noqa: E402
from tests.integration.realtime.servers import instance_processes  # noqa: E402


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
            if b"tests.integration.realtime.realtime_app" in argv:
                found.append(int(entry.name))
    return found


async def main(sockets: int, messages: int) -> None:
    server = os.environ["DATABASE_URL"]
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        metadata = sa.MetaData()
        define_realtime_tables(metadata)
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        metadata.create_all(engine)
        engine.dispose()
        env = {"DATABASE_URL": url, "REDIS_URL": "", "REALTIME_QUEUE_MESSAGES": "10000"}
        async with instance_processes(2, env) as addresses:
            pids = pids_listening()
            before = sum(rss_kib(p) for p in pids)
            conns = []
            for i in range(sockets):
                address = addresses[i % 2]
                ws = await websockets.connect(
                    f"ws://{address}/ws/notifications?token=alice", max_queue=None
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
                        json={"channel": "user:u-alice", "messages": [{"t": time.time()}]},
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
        print(f"memory per idle socket: {(after - before) / sockets:.1f} KiB (server RSS)")
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    options = parser.parse_args()
    asyncio.run(main(options.sockets, options.messages))

"""Realtime bench: 1,000 websockets over 2 instances on one PostgreSQL (NOTIFY fan-out).

The instances serve the realtime test app (tests/integration/realtime/decl_app.py) with
real auth: one user signs up (verification mail from a loopback SMTP server), logs in,
and every socket presents that session. One publisher posts messages (one per unit of
work) that every socket receives; latency is publish to receipt on every socket (target
p99 < 100 ms). Two phases, both printed:

- **saturated**: sequential publishes as fast as the instances answer. Everything queues
  here, so its latency is the worst case; deliveries per second is the maximum rate.
- **paced**: publishes at a stated rate (``--rate``; by default half the saturated rate),
  the latency of a system that keeps up.

The machine's 2 cores run both instances *and* this client (Python ``websockets``,
json-decoding every frame), so the CPU seconds of each are printed per phase: the
client's share shows how much of the latency is the measuring. Server CPU per delivery
(instance two serves no publish, so its figure is the fan-out alone) is the figure that
does not depend on the machine's load. Memory: server RSS growth per idle socket, and
per socket after the run. The baseline, measured in the same run on the same database:
raw PostgreSQL NOTIFY to one LISTENing psycopg connection, no HTTP and no sockets.

Run by hand: ``DATABASE_URL=... python bench/realtime.py [--sockets 1000] [--messages 200]
[--rate MSG_PER_S] [--compression]``; ``--compression`` serves permessage-deflate
(``REALTIME_COMPRESSION=1``), which every browser offers. Note the load average printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
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

TICK = os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` so far (fields 14 and 15 of /proc/pid/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pids_listening(addresses: list[str]) -> list[int]:
    """The instances' pids, in the order of ``addresses`` (their argv ends in the port)."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"tests.integration.realtime.decl_app" in argv:
                found[int(argv[argv.index(b"-m") + 2])] = int(entry.name)
    return [found[int(address.rsplit(":", 1)[1])] for address in addresses]


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


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
    return percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000


class Tally:
    """One phase's receipts: latencies, and an event set when every frame arrived."""

    def __init__(self, expected: int) -> None:
        self.latencies: list[float] = []
        self.expected = expected
        self.done = asyncio.Event()

    def received(self, frame: bytes | str) -> None:
        self.latencies.append(time.time() - json.loads(frame)["message"]["t"])
        if len(self.latencies) >= self.expected:
            self.done.set()


class LibraryClient:
    """A socket of the ``websockets`` library (what a Python client would use)."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, url: str) -> LibraryClient:
        ws = await websockets.connect(url, max_queue=None)
        await ws.recv()  # ready
        return cls(ws)

    def listen(self, tally: Tally, messages: int) -> None:
        async def read() -> None:
            for _ in range(messages):
                tally.received(await self.ws.recv())

        self._reader = asyncio.create_task(read())

    async def close(self) -> None:
        await self.ws.close()


class RawClient(asyncio.Protocol):
    """A minimal websocket client: the upgrade, then the server's unmasked frames parsed
    in ``data_received``, no task and no queue per socket. It stands in for clients that
    run elsewhere (browsers): it costs this machine's shared cores as little as it can."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.buffer = bytearray()
        self.upgraded = False
        self.ready = asyncio.get_running_loop().create_future()
        self.tally: Tally | None = None
        self.transport: asyncio.Transport | None = None

    @classmethod
    async def connect(cls, url: str) -> RawClient:
        host, _, rest = url.removeprefix("ws://").partition("/")
        request = (
            f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        name, _, port = host.partition(":")
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(lambda: cls(request), name, int(port))
        await asyncio.wait_for(protocol.ready, 30)
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)  # type: ignore[union-attr]

    def listen(self, tally: Tally, messages: int) -> None:
        self.tally = tally

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            assert buffer.startswith(b"HTTP/1.1 101"), bytes(buffer[:80])
            del buffer[: end + 4]
            self.upgraded = True
        at = 0
        while len(buffer) - at >= 2:
            opcode, length, head = buffer[at] & 0x0F, buffer[at + 1] & 0x7F, 2
            if length == 126:
                length, head = int.from_bytes(buffer[at + 2 : at + 4]), 4
            elif length == 127:
                length, head = int.from_bytes(buffer[at + 2 : at + 10]), 10
            if len(buffer) - at < head + length:
                break
            payload = bytes(buffer[at + head : at + head + length])
            at += head + length
            if opcode == 0x1:
                if not self.ready.done():
                    self.ready.set_result(None)  # the endpoint's {"ready": true}
                elif self.tally is not None:
                    self.tally.received(payload)
            elif opcode == 0x9:  # ping: a masked pong (zero mask: the payload as is)
                assert self.transport is not None
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0" * 4 + payload)
        del buffer[:at]

    async def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


Receiver = LibraryClient | RawClient


@dataclass
class Phase:
    name: str
    messages: int
    sockets: int
    publish_seconds: float
    seconds: float  # first publish to the last receipt
    latencies: list[float]  # sorted, seconds
    client_cpu: float
    server_cpu: list[float]  # per instance

    @property
    def deliveries(self) -> int:
        return len(self.latencies)

    def report(self) -> None:
        p50 = percentile(self.latencies, 0.5) * 1000
        p99 = percentile(self.latencies, 0.99) * 1000
        worst = self.latencies[-1] * 1000
        print(
            f"[{self.name}] publish rate {self.messages / self.publish_seconds:.1f} msg/s, "
            f"{self.deliveries} deliveries in {self.seconds:.1f} s "
            f"({self.deliveries / self.seconds:.0f}/s)"
        )
        print(
            f"[{self.name}] latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms "
            "(target p99 < 100 ms)"
        )
        busy = self.client_cpu + sum(self.server_cpu)
        per_instance = self.deliveries / len(self.server_cpu)
        shares = ", ".join(
            f"instance {i + 1} {cpu:.2f} s ({cpu / per_instance * 1e6:.0f} us/delivery)"
            for i, cpu in enumerate(self.server_cpu)
        )
        print(
            f"[{self.name}] CPU: client {self.client_cpu:.2f} s "
            f"({self.client_cpu / self.deliveries * 1e6:.0f} us/delivery, "
            f"{self.client_cpu / max(busy, 1e-9):.0%} of the CPU used), {shares}; "
            f"{busy / self.seconds:.2f} of 2 cores busy"
        )


async def phase(
    name: str,
    conns: list[Receiver],
    client: httpx.AsyncClient,
    address: str,
    channel: str,
    messages: int,
    pids: list[int],
    rate: float | None,
) -> Phase:
    """Publish ``messages`` (at ``rate`` per second, or back to back) and wait until
    every socket has received every one."""
    tally = Tally(len(conns) * messages)
    for conn in conns:
        conn.listen(tally, messages)
    await asyncio.sleep(0.5)  # the readers are waiting before the first publish
    client_before = time.process_time()
    server_before = [cpu_seconds(p) for p in pids]
    start = time.monotonic()
    for i in range(messages):
        if rate is not None:
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        response = await client.post(
            f"http://{address}/publish", json={"channel": channel, "messages": [{"t": time.time()}]}
        )
        response.raise_for_status()
    publish_seconds = time.monotonic() - start
    await asyncio.wait_for(tally.done.wait(), 300)
    seconds = time.monotonic() - start
    client_cpu = time.process_time() - client_before
    server_cpu = [cpu_seconds(p) - b for p, b in zip(pids, server_before, strict=True)]
    latencies = sorted(tally.latencies)
    return Phase(
        name,
        messages,
        len(conns),
        publish_seconds,
        seconds,
        latencies,
        client_cpu,
        server_cpu,
    )


async def main(
    sockets: int, messages: int, rate: float | None, compression: bool, raw: bool
) -> None:
    server = os.environ["DATABASE_URL"]
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        metadata.create_all(engine)
        engine.dispose()
        print(f"load before: {os.getloadavg()}")
        base_p50, base_p99 = await raw_notify_latency(url, messages)
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": "",
            "REALTIME_QUEUE_MESSAGES": "10000",
            "REALTIME_COMPRESSION": "1" if compression else "0",
        }
        with smtp_server() as smtp:
            await served({**env, **smtp.env()}, smtp, sockets, messages, rate, raw)
        print(
            f"baseline (raw NOTIFY -> LISTEN, same run): p50 {base_p50:.2f} ms, "
            f"p99 {base_p99:.2f} ms"
        )
        print(f"load after: {os.getloadavg()}")
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def served(
    env: dict[str, str],
    smtp: SmtpServer,
    sockets: int,
    messages: int,
    rate: float | None,
    raw: bool,
) -> None:
    async with instance_processes(2, env) as addresses:
        alice = await signed_in(addresses[0], smtp, "alice")
        pids = pids_listening(addresses)
        before = sum(rss_kib(p) for p in pids)
        kind = RawClient if raw else LibraryClient
        conns: list[Receiver] = []
        for i in range(sockets):
            url = f"ws://{addresses[i % 2]}/ws/notifications?token={alice.session}"
            conns.append(await kind.connect(url))
        await asyncio.sleep(2)
        idle = sum(rss_kib(p) for p in pids)
        channel = f"user:{alice.id}"
        async with httpx.AsyncClient(timeout=60) as client:
            saturated = await phase(
                "saturated", conns, client, addresses[0], channel, messages, pids, None
            )
            paced_rate = rate or max(1.0, round(messages / saturated.publish_seconds / 2))
            paced = await phase(
                "paced", conns, client, addresses[0], channel, messages, pids, paced_rate
            )
        busy = sum(rss_kib(p) for p in pids)
        for conn in conns:
            await conn.close()
    extension = "permessage-deflate" if env["REALTIME_COMPRESSION"] == "1" else "none"
    print(f"sockets: {sockets} over 2 instances, messages per phase: {messages}")
    print(f"compression: {extension}; client: {'raw frames' if raw else 'websockets library'}")
    saturated.report()
    print(
        f"max delivery rate: {saturated.deliveries / saturated.seconds:.0f}/s; paced at "
        f"{paced_rate:g} msg/s = {paced_rate * sockets:.0f} deliveries/s "
        f"({paced_rate * sockets / (saturated.deliveries / saturated.seconds):.0%} of it)"
    )
    paced.report()
    print(
        f"memory per socket: {(idle - before) / sockets:.1f} KiB idle, "
        f"{(busy - before) / sockets:.1f} KiB after {2 * messages} messages (server RSS)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rate", type=float, default=None, help="paced phase, msg/s")
    parser.add_argument("--compression", action="store_true", help="serve permessage-deflate")
    parser.add_argument(
        "--client",
        choices=("websockets", "raw"),
        default="websockets",
        help="the websockets library (default) or a minimal frame parser",
    )
    options = parser.parse_args()
    asyncio.run(
        main(
            options.sockets,
            options.messages,
            options.rate,
            options.compression,
            options.client == "raw",
        )
    )

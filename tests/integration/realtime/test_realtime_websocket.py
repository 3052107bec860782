"""The native WebSocket endpoint with the `websockets` client: auth (4401), frames, the
user's own channel, the authorize hook, unit-of-work publishes, replay with lastId,
NOTIFY's 8000-byte limit, a slow client that never reads and a client killed mid-stream.

Phase 1 note: sessions come from the test app's stand-in Authenticator (tokens are user
names), not from the auth routes, which have not landed on main yet.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
import websockets

from tests.integration.realtime import realtime_app
from tests.integration.realtime.servers import ROOT, serving

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def recv_json(ws: Any, timeout: float = 5) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def frames_until(ws: Any, count: int, timeout: float = 10) -> list[Any]:
    got = []
    while len(got) < count:
        frame = await recv_json(ws, timeout)
        if "id" in frame:
            got.append(frame)
    return got


async def publish(address: str, channel: str, messages: list[Any], **extra: Any) -> Any:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://{address}/publish", json={"channel": channel, "messages": messages, **extra}
        )
    return response


async def test_unauthenticated_socket_is_closed_with_4401(realtime_db: str) -> None:
    async with serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address:
        for url in (f"ws://{address}/ws/notifications", f"ws://{address}/ws/notifications?token=x"):
            async with websockets.connect(url) as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_token_cookie_and_bearer_all_sign_in(realtime_db: str) -> None:
    async with serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address:
        url = f"ws://{address}/ws/notifications"
        for kwargs in (
            {"uri": url + "?token=alice"},
            {"uri": url, "additional_headers": {"Cookie": "session=alice"}},
            {"uri": url, "additional_headers": {"Authorization": "Bearer alice"}},
        ):
            async with websockets.connect(**kwargs) as ws:
                assert await recv_json(ws) == {"ready": True, "user": "u-alice"}


async def test_publish_reaches_own_and_authorised_channels_only(realtime_db: str) -> None:
    async with serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address:
        base = f"ws://{address}/ws/notifications"
        alice_url = f"{base}?token=alice&channels=workspace:w1,workspace:w2,user:u-bob"
        async with (
            websockets.connect(alice_url) as alice,
            websockets.connect(f"{base}?token=bob&channels=workspace:w2") as bob,
        ):
            # alice is no member of w2 and may not listen to bob's own channel.
            assert await recv_json(alice) == {"refused": "workspace:w2"}
            assert await recv_json(alice) == {"refused": "user:u-bob"}
            assert (await recv_json(alice))["ready"] is True
            assert (await recv_json(bob))["ready"] is True
            await publish(address, "workspace:w2", [{"for": "w2"}])
            await publish(address, "user:u-bob", [{"for": "bob"}])
            (ack,) = (await publish(address, "workspace:w1", [{"for": "w1"}])).json()["ids"]
            await publish(address, "user:u-alice", [{"for": "alice"}])
            got = await frames_until(alice, 2)
            assert got == [
                {"id": ack, "channel": "workspace:w1", "message": {"for": "w1"}},
                {"id": str(int(ack) + 1), "channel": "user:u-alice", "message": {"for": "alice"}},
            ]
            bob_got = await frames_until(bob, 2)
            assert [f["message"] for f in bob_got] == [{"for": "w2"}, {"for": "bob"}]


async def test_rolled_back_publish_is_never_delivered(realtime_db: str) -> None:
    async with (
        serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address,
        websockets.connect(f"ws://{address}/ws/notifications?token=alice") as ws,
    ):
        await recv_json(ws)
        response = await publish(address, "user:u-alice", [{"n": 1}], fail=True)
        assert response.status_code == 409
        await publish(address, "user:u-alice", [{"n": 2}])
        (frame,) = await frames_until(ws, 1)
        assert frame["message"] == {"n": 2}
        with pytest.raises(TimeoutError):
            await recv_json(ws, timeout=0.5)


async def test_message_over_notify_limit_is_delivered_whole(realtime_db: str) -> None:
    big = {"blob": "x" * 50_000, "unicode": "é" * 5000}
    async with (
        serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address,
        websockets.connect(f"ws://{address}/ws/notifications?token=alice") as ws,
    ):
        await recv_json(ws)
        await publish(address, "user:u-alice", [big, {"small": True}])
        got = await frames_until(ws, 2)
        assert [f["message"] for f in got] == [big, {"small": True}]


async def test_reconnect_with_last_id_replays_what_was_missed(realtime_db: str) -> None:
    async with serving(realtime_app.build({"DATABASE_URL": realtime_db})) as address:
        url = f"ws://{address}/ws/notifications?token=alice&channels=workspace:w1"
        async with websockets.connect(url) as ws:
            await recv_json(ws)
            await publish(address, "workspace:w1", [{"n": 1}])
            (seen,) = await frames_until(ws, 1)
        # Offline: three messages, one of them on a channel alice cannot read.
        await publish(address, "workspace:w1", [{"n": 2}])
        await publish(address, "workspace:w2", [{"secret": True}])
        await publish(address, "user:u-alice", [{"n": 3}])
        async with websockets.connect(f"{url}&lastId={seen['id']}") as ws:
            frames = [await recv_json(ws) for _ in range(3)]
            replayed = sorted((f for f in frames if "id" in f), key=lambda f: int(f["id"]))
            assert [f["message"] for f in replayed] == [{"n": 2}, {"n": 3}]
            await publish(address, "workspace:w1", [{"n": 4}])
            (live,) = await frames_until(ws, 1)
            assert live["message"] == {"n": 4}


async def test_last_id_older_than_retention_gets_a_gap_frame(realtime_db: str) -> None:
    app = realtime_app.build({"DATABASE_URL": realtime_db}, replay_ttl_seconds=0)
    async with serving(app) as address:
        await publish(address, "user:u-alice", [{"n": 1}, {"n": 2}])
        await app.state.realtime.prune()  # a TTL of 0 drops everything
        async with websockets.connect(
            f"ws://{address}/ws/notifications?token=alice&lastId=1"
        ) as ws:
            frames = [await recv_json(ws), await recv_json(ws)]
            gap = {"id": None, "channel": "user:u-alice", "message": None, "gap": True}
            assert gap in frames
        async with websockets.connect(
            f"ws://{address}/ws/notifications?token=alice&lastId=x1"
        ) as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


async def test_slow_client_is_dropped_without_stalling_others(realtime_db: str) -> None:
    """A client that never reads fills its TCP window, then its bounded queue; it is
    dropped (and its connection cut) while a reading client keeps getting everything."""
    app = realtime_app.build({"DATABASE_URL": realtime_db}, queue_messages=50, queue_bytes=1 << 20)
    realtime = app.state.realtime
    async with serving(app) as address:
        host, port = address.split(":")
        # A raw client: the handshake, then never another read.
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        slow.connect((host, int(port)))
        slow.sendall(
            b"GET /ws/notifications?token=alice HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        assert b"101" in await asyncio.to_thread(slow.recv, 200)
        async with websockets.connect(f"ws://{address}/ws/notifications?token=alice") as fast:
            await recv_json(fast)
            deadline = time.monotonic() + 10
            while realtime.hub.subscribers("user:u-alice") < 2:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            payload = {"blob": "y" * 32_000}
            sent = 0
            for _ in range(20):  # 400 messages of 32 kB: past the socket buffers and the queue
                await publish(address, "user:u-alice", [payload] * 25)
                sent += 25
            got = await frames_until(fast, sent, timeout=20)
            assert len(got) == sent
            assert realtime.hub.subscribers("user:u-alice") == 1  # the slow one is gone
        # The server cut the slow connection: reading drains what was buffered, then EOF.
        slow.settimeout(10)

        def drain() -> int:
            total = 0
            while chunk := slow.recv(1 << 16):
                total += len(chunk)
            return total

        total = await asyncio.to_thread(drain)
        slow.close()
        assert total < sent * 32_000 / 2


KILLED_CLIENT = """
import asyncio, sys, websockets
async def main():
    async with websockets.connect(sys.argv[1]) as ws:
        print("connected", flush=True)
        while True:
            await ws.recv()
asyncio.run(main())
"""


async def test_client_killed_mid_stream_is_cleaned_up(realtime_db: str) -> None:
    app = realtime_app.build({"DATABASE_URL": realtime_db})
    realtime = app.state.realtime
    async with serving(app) as address:
        url = f"ws://{address}/ws/notifications?token=alice"
        victim = subprocess.Popen(
            [sys.executable, "-c", KILLED_CLIENT, url],
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=os.environ,
        )
        assert victim.stdout is not None
        await asyncio.to_thread(victim.stdout.readline)
        async with websockets.connect(url) as survivor:
            await recv_json(survivor)
            while realtime.hub.subscribers("user:u-alice") < 2:
                await asyncio.sleep(0.05)
            streaming = asyncio.create_task(
                publish(address, "user:u-alice", [{"i": i} for i in range(300)])
            )
            await asyncio.sleep(0.05)
            victim.send_signal(signal.SIGKILL)
            victim.wait(5)
            await streaming
            await publish(address, "user:u-alice", [{"after": True}])
            got = await frames_until(survivor, 301)
            assert got[-1]["message"] == {"after": True}
            deadline = time.monotonic() + 10
            while realtime.hub.subscribers("user:u-alice") != 1:
                assert time.monotonic() < deadline, "the killed client was never removed"
                await asyncio.sleep(0.05)

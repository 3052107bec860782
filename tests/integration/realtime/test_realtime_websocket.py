"""The native WebSocket endpoint with the `websockets` client: auth (4401), frames, the
user's own channel, the authorize hook, unit-of-work publishes, replay with lastId,
NOTIFY's 8000-byte limit, a slow client that never reads and a client killed mid-stream.

Sessions come from the real auth routes (``accounts``: sign up, the verification mail
from the SMTP server, log in), presented as ``?token=``, the cookie or a bearer header.
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

from tests.integration.realtime import decl_app
from tests.integration.realtime.accounts import everyone, signed_in
from tests.integration.realtime.servers import ROOT, serving
from tests.mail_servers import SmtpServer

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


def app_for(realtime_db: str, smtp: SmtpServer, **more: str) -> Any:
    return decl_app.build({"DATABASE_URL": realtime_db, **smtp.env(), **more})


async def publish(address: str, channel: str, messages: list[Any], **extra: Any) -> Any:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://{address}/publish", json={"channel": channel, "messages": messages, **extra}
        )
    return response


async def test_unauthenticated_socket_is_closed_with_4401(
    realtime_db: str, smtp: SmtpServer
) -> None:
    async with serving(app_for(realtime_db, smtp)) as address:
        alice = await signed_in(address, smtp, "alice")
        base = f"ws://{address}/ws/notifications"
        async with httpx.AsyncClient() as client:  # a session that has ended
            ended = await client.post(
                f"http://{address}/auth/logout",
                headers={"Authorization": f"Bearer {alice.session}"},
            )
            assert ended.status_code == 200, ended.text
        for url in (base, f"{base}?token=x", f"{base}?token={alice.session}"):
            async with websockets.connect(url) as ws:
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_token_cookie_and_bearer_all_sign_in(realtime_db: str, smtp: SmtpServer) -> None:
    from sentinel_spec.runtime.auth.authenticator import SESSION_COOKIE

    async with serving(app_for(realtime_db, smtp)) as address:
        alice = await signed_in(address, smtp, "alice")
        url = f"ws://{address}/ws/notifications"
        for kwargs in (
            {"uri": f"{url}?token={alice.session}"},
            {"uri": url, "additional_headers": {"Cookie": f"{SESSION_COOKIE}={alice.session}"}},
            {"uri": url, "additional_headers": {"Authorization": f"Bearer {alice.session}"}},
        ):
            async with websockets.connect(**kwargs) as ws:
                assert await recv_json(ws) == {"ready": True, "user": alice.id}


async def test_publish_reaches_own_and_authorised_channels_only(
    realtime_db: str, smtp: SmtpServer
) -> None:
    async with serving(app_for(realtime_db, smtp)) as address:
        users = await everyone(address, smtp)
        a, b = users["alice"], users["bob"]
        base = f"ws://{address}/ws/notifications"
        alice_url = f"{base}?token={a.session}&channels=workspace:w1,workspace:w2,user:{b.id}"
        async with (
            websockets.connect(alice_url) as alice,
            websockets.connect(f"{base}?token={b.session}&channels=workspace:w2") as bob,
        ):
            # alice is no member of w2 and may not listen to bob's own channel.
            assert await recv_json(alice) == {"refused": "workspace:w2"}
            assert await recv_json(alice) == {"refused": f"user:{b.id}"}
            assert (await recv_json(alice))["ready"] is True
            assert (await recv_json(bob))["ready"] is True
            await publish(address, "workspace:w2", [{"for": "w2"}])
            await publish(address, f"user:{b.id}", [{"for": "bob"}])
            (ack,) = (await publish(address, "workspace:w1", [{"for": "w1"}])).json()["ids"]
            await publish(address, f"user:{a.id}", [{"for": "alice"}])
            got = await frames_until(alice, 2)
            assert got == [
                {"id": ack, "channel": "workspace:w1", "message": {"for": "w1"}},
                {"id": str(int(ack) + 1), "channel": f"user:{a.id}", "message": {"for": "alice"}},
            ]
            bob_got = await frames_until(bob, 2)
            assert [f["message"] for f in bob_got] == [{"for": "w2"}, {"for": "bob"}]


async def test_rolled_back_publish_is_never_delivered(realtime_db: str, smtp: SmtpServer) -> None:
    async with serving(app_for(realtime_db, smtp)) as address:
        alice = await signed_in(address, smtp, "alice")
        ws = await websockets.connect(f"ws://{address}/ws/notifications?token={alice.session}")
        await recv_json(ws)
        response = await publish(address, f"user:{alice.id}", [{"n": 1}], fail=True)
        assert response.status_code == 409
        await publish(address, f"user:{alice.id}", [{"n": 2}])
        (frame,) = await frames_until(ws, 1)
        assert frame["message"] == {"n": 2}
        with pytest.raises(TimeoutError):
            await recv_json(ws, timeout=0.5)
        await ws.close()


async def test_message_over_notify_limit_is_delivered_whole(
    realtime_db: str, smtp: SmtpServer
) -> None:
    big = {"blob": "x" * 50_000, "unicode": "é" * 5000}
    async with serving(app_for(realtime_db, smtp)) as address:
        alice = await signed_in(address, smtp, "alice")
        async with websockets.connect(
            f"ws://{address}/ws/notifications?token={alice.session}"
        ) as ws:
            await recv_json(ws)
            await publish(address, f"user:{alice.id}", [big, {"small": True}])
            got = await frames_until(ws, 2)
            assert [f["message"] for f in got] == [big, {"small": True}]


async def test_reconnect_with_last_id_replays_what_was_missed(
    realtime_db: str, smtp: SmtpServer
) -> None:
    async with serving(app_for(realtime_db, smtp)) as address:
        alice = await signed_in(address, smtp, "alice")
        url = f"ws://{address}/ws/notifications?token={alice.session}&channels=workspace:w1"
        async with websockets.connect(url) as ws:
            await recv_json(ws)
            await publish(address, "workspace:w1", [{"n": 1}])
            (seen,) = await frames_until(ws, 1)
        # Offline: three messages, one of them on a channel alice cannot read.
        await publish(address, "workspace:w1", [{"n": 2}])
        await publish(address, "workspace:w2", [{"secret": True}])
        await publish(address, f"user:{alice.id}", [{"n": 3}])
        async with websockets.connect(f"{url}&lastId={seen['id']}") as ws:
            frames = [await recv_json(ws) for _ in range(3)]
            replayed = sorted((f for f in frames if "id" in f), key=lambda f: int(f["id"]))
            assert [f["message"] for f in replayed] == [{"n": 2}, {"n": 3}]
            await publish(address, "workspace:w1", [{"n": 4}])
            (live,) = await frames_until(ws, 1)
            assert live["message"] == {"n": 4}


async def test_last_id_older_than_retention_gets_a_gap_frame(
    realtime_db: str, smtp: SmtpServer
) -> None:
    app = app_for(realtime_db, smtp, REALTIME_REPLAY_TTL="0")
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        url = f"ws://{address}/ws/notifications?token={alice.session}"
        await publish(address, f"user:{alice.id}", [{"n": 1}, {"n": 2}])
        await decl_app.realtime_of(app).prune()  # a TTL of 0 drops everything
        async with websockets.connect(f"{url}&lastId=1") as ws:
            frames = [await recv_json(ws), await recv_json(ws)]
            gap = {"id": None, "channel": f"user:{alice.id}", "message": None, "gap": True}
            assert gap in frames
        async with websockets.connect(f"{url}&lastId=x1") as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


async def test_slow_client_is_dropped_without_stalling_others(
    realtime_db: str, smtp: SmtpServer
) -> None:
    """A client that never reads fills its TCP window, then its bounded queue; it is
    dropped (and its connection cut) while a reading client keeps getting everything."""
    app = app_for(
        realtime_db, smtp, REALTIME_QUEUE_MESSAGES="50", REALTIME_QUEUE_BYTES=str(1 << 20)
    )
    realtime = decl_app.realtime_of(app)
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        own = f"user:{alice.id}"
        host, port = address.split(":")
        # A raw client: the handshake, then never another read.
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        slow.connect((host, int(port)))
        slow.sendall(
            f"GET /ws/notifications?token={alice.session} HTTP/1.1\r\n".encode()
            + b"Host: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        assert b"101" in await asyncio.to_thread(slow.recv, 200)
        async with websockets.connect(
            f"ws://{address}/ws/notifications?token={alice.session}", max_queue=None
        ) as fast:
            await recv_json(fast)
            deadline = time.monotonic() + 10
            while realtime.hub.subscribers(own) < 2:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            payload = {"blob": "y" * 32_000}
            sent = 20 * 25
            # The fast client reads while the messages are published.
            reading = asyncio.create_task(frames_until(fast, sent, timeout=20))
            for _ in range(20):  # 500 messages of 32 kB: past the socket buffers and the queue
                await publish(address, own, [payload] * 25)
            got = await reading
            assert len(got) == sent
            assert realtime.hub.subscribers(own) == 1  # the slow one is gone
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


async def test_client_killed_mid_stream_is_cleaned_up(realtime_db: str, smtp: SmtpServer) -> None:
    app = app_for(realtime_db, smtp)
    realtime = decl_app.realtime_of(app)
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        own = f"user:{alice.id}"
        url = f"ws://{address}/ws/notifications?token={alice.session}"
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
            while realtime.hub.subscribers(own) < 2:
                await asyncio.sleep(0.05)
            streaming = asyncio.create_task(publish(address, own, [{"i": i} for i in range(300)]))
            await asyncio.sleep(0.05)
            victim.send_signal(signal.SIGKILL)
            victim.wait(5)
            await streaming
            await publish(address, own, [{"after": True}])
            got = await frames_until(survivor, 301)
            assert got[-1]["message"] == {"after": True}
            deadline = time.monotonic() + 10
            while realtime.hub.subscribers(own) != 1:
                assert time.monotonic() < deadline, "the killed client was never removed"
                await asyncio.sleep(0.05)

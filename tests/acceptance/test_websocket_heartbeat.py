"""``sentinel start`` pings every websocket (uvicorn's ``ws_ping_interval`` /
``ws_ping_timeout``, the same heartbeat as Socket.IO's) and closes one that stops
answering. A raw client speaks the upgrade by hand so it can stay silent: every
websocket library answers pings on its own."""

from __future__ import annotations

import base64
import os
import socket
import textwrap
import time
from pathlib import Path

import pytest

from sentinel_spec.contract.server import ServerLimits
from sentinel_spec.runtime.realtime.settings import Heartbeat
from sentinel_spec.runtime.serving import SERVING_ENV, uvicorn_options
from tests.servers import free_port, running

pytestmark = pytest.mark.slow

APP_SQ = """
app Beating { title: "Beating" }

websocket live {
  path: "/ws/live",
  fn: import { live } from "@src/sockets",
  auth: false,
}
"""

SOCKETS_PY = """
async def live(websocket, context):
    await websocket.send_text("hello")
"""


def test_the_default_heartbeat_is_socket_ios(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REALTIME_PING_INTERVAL", raising=False)
    monkeypatch.delenv("REALTIME_PING_TIMEOUT", raising=False)
    monkeypatch.delenv(SERVING_ENV, raising=False)  # uvicorn_options sets it; restored after
    options = uvicorn_options(ServerLimits())
    assert (options["ws_ping_interval"], options["ws_ping_timeout"]) == (25.0, 20.0)
    assert Heartbeat() == Heartbeat(25.0, 20.0)


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """One unmasked server frame: (opcode, payload)."""

    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    first, second = exactly(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(exactly(2), "big")
    elif length == 127:
        length = int.from_bytes(exactly(8), "big")
    return first & 0x0F, exactly(length)


def test_start_pings_and_drops_a_silent_socket(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text(APP_SQ)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__init__.py").write_text("")
    (tmp_path / "src" / "sockets.py").write_text(textwrap.dedent(SOCKETS_PY))
    port = free_port()
    env = {"REALTIME_PING_INTERVAL": "0.5", "REALTIME_PING_TIMEOUT": "1"}
    with running("start", "--port", str(port), cwd=tmp_path, port=port, env=env) as server:
        server.wait_for("/api/health", timeout=60)
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                f"GET /ws/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        opened = time.monotonic()
        frames: list[tuple[int, bytes, float]] = []
        try:
            while True:
                opcode, payload = read_frame(sock)
                frames.append((opcode, payload, time.monotonic() - opened))
                if opcode == 0x8:  # close
                    break
        except (ConnectionError, TimeoutError, OSError):
            pass
        closed_after = time.monotonic() - opened
        sock.close()
    assert frames[0][:2] == (0x1, b"hello")
    pings = [at for opcode, _, at in frames if opcode == 0x9]
    assert pings and pings[0] < 3, frames  # the first ping after ~0.5 s, not uvicorn's 20 s
    # Never answered: cut after the interval plus the timeout (uvicorn's defaults: 40 s).
    assert closed_after < 8, frames

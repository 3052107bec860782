"""Loopback stand-ins that speak real wire formats: a Sentry ingest endpoint (envelopes)
and a Logstash ``tcp`` (json_lines) / ``http`` (JSON array) input.

Each runs in a thread on 127.0.0.1 and records what it received; ``wait_for`` polls with
a deadline so tests never sleep blindly.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "it") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _decode_body(headers: Any, body: bytes) -> bytes:
    encoding = (headers.get("Content-Encoding") or "").lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding in ("", "identity"):
        return body
    raise AssertionError(f"unexpected Content-Encoding {encoding}")


def parse_envelope(raw: bytes) -> list[tuple[dict[str, Any], Any]]:
    """A Sentry envelope: a header line, then (item header line, payload) pairs."""
    lines = raw.split(b"\n")
    items: list[tuple[dict[str, Any], Any]] = []
    index = 1  # line 0 is the envelope header
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        header = json.loads(lines[index])
        index += 1
        length = header.get("length")
        if length is not None:
            rest = b"\n".join(lines[index:])
            payload_bytes = rest[:length]
            index += payload_bytes.count(b"\n") + 1
        else:
            payload_bytes = lines[index]
            index += 1
        try:
            payload: Any = json.loads(payload_bytes)
        except ValueError:
            payload = payload_bytes
        items.append((header, payload))
    return items


class SentryStub:
    """Receives ``POST /api/<project>/envelope/``; keeps the raw bodies and the items."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.items: list[tuple[dict[str, Any], Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = _decode_body(self.headers, self.rfile.read(length))
                stub.raw.append(body)
                if self.path.rstrip("/").endswith("/envelope"):
                    stub.items.extend(parse_envelope(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "00000000000000000000000000000000"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.dsn = f"http://publickey@127.0.0.1:{self.port}/42"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self, kind: str = "event") -> list[Any]:
        return [payload for header, payload in self.items if header.get("type") == kind]

    def __enter__(self) -> SentryStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class LogstashTcpStub:
    """A Logstash ``tcp`` input with the ``json_lines`` codec: one JSON object a line."""

    def __init__(self, port: int = 0) -> None:
        self.lines: list[dict[str, Any]] = []
        self.connections = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        buffer = b""
        conn.settimeout(0.1)
        with conn:
            while not self._stop:
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                *complete, buffer = buffer.split(b"\n")
                self.lines.extend(json.loads(line) for line in complete if line.strip())

    def __enter__(self) -> LogstashTcpStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


class LogstashHttpStub:
    """A Logstash ``http`` input: each POST body is a JSON array of events."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                stub.lines.extend(body if isinstance(body, list) else [body])
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LogstashHttpStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def sentry_stub() -> Iterator[SentryStub]:
    """The loopback Sentry; the SDK (process-global) is shut down after it."""
    from sentinel_spec.runtime.observability import sentry

    with SentryStub() as stub:
        try:
            yield stub
        finally:
            sentry.shutdown_sentry()

"""``server.limits`` and protocol errors, over raw sockets, against ``sentinel start``.

One small project (no database) with short timeouts is served once for the module; each
test speaks bytes to it the way a hostile or broken client would. The slow-loris test
opens 1,000 connections that dribble their headers and checks that the server keeps
answering everyone else, then that it drops them with 408; it gets a server of its own
whose head timeout (15 s) is long enough that, even on a loaded machine, every answer it
measures is given while all 1,000 are still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import textwrap
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.servers import Server, free_port, running

pytestmark = pytest.mark.slow

APP_SQ = """
app Guarded {
  title: "Guarded",
  server: {
    bodyLimits: { json: "1kb", form: "1kb", raw: "1mb" },
    securityHeaders: { frameOptions: "SAMEORIGIN" },
    limits: { maxUrlBytes: "2kb", maxHeaderBytes: "8kb", maxHeaders: 50,
              headersTimeout: "HEADERS_TIMEOUT", bodyTimeout: "2s",
              requestTimeout: "REQUEST_TIMEOUT", idleTimeout: "2s" },
  },
}

query ping { fn: import { ping } from "@src/ops" }

api upload {
  fn: import { upload } from "@src/ops",
  httpRoute: (POST, "/api/upload"),
}
"""

OPS_PY = """
from starlette.responses import JSONResponse


async def ping(args, context):
    return "pong"


async def upload(request, context):
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return JSONResponse({"received": size})
"""


@contextlib.contextmanager
def serving(
    tmp_path_factory: pytest.TempPathFactory, headers_timeout: int, request_timeout: int
) -> Iterator[Server]:
    project = tmp_path_factory.mktemp("guarded")
    app_sq = APP_SQ.replace("HEADERS_TIMEOUT", f"{headers_timeout}s")
    (project / "app.sq").write_text(app_sq.replace("REQUEST_TIMEOUT", f"{request_timeout}s"))
    (project / "src").mkdir()
    (project / "src" / "__init__.py").write_text("")
    (project / "src" / "ops.py").write_text(textwrap.dedent(OPS_PY))
    port = free_port()
    with running("start", "--port", str(port), cwd=project, port=port) as started:
        started.wait_for("/operations/ping", timeout=60)
        yield started


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory, headers_timeout=3, request_timeout=6) as started:
        yield started


LORIS_HEAD_TIMEOUT = 15


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same app with a head timeout long enough to measure answers under the attack."""
    with serving(
        tmp_path_factory, headers_timeout=LORIS_HEAD_TIMEOUT, request_timeout=30
    ) as started:
        yield started


def address(server: Server) -> tuple[str, int]:
    host, port = server.base.removeprefix("http://").split(":")
    return host, int(port)


def connect(server: Server, timeout: float = 10) -> socket.socket:
    sock = socket.create_connection(address(server), timeout=timeout)
    return sock


def read_response(sock: socket.socket, deadline: float = 10) -> bytes:
    """Everything until the server closes (or ``deadline`` seconds pass)."""
    sock.settimeout(deadline)
    data = b""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def assert_json_error(raw: bytes, status: int, code: str) -> dict[str, object]:
    assert raw, "the server closed without answering"
    got, headers, body = parse(raw)
    assert got == status, raw[:500]
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert headers["x-frame-options"] == "SAMEORIGIN"  # the spec's security headers
    assert headers["x-content-type-options"] == "nosniff"
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert error["requestId"] == headers["x-request-id"]
    return error  # type: ignore[no-any-return]


def still_serving(server: Server) -> None:
    response = httpx.get(server.base + "/operations/ping", timeout=5)
    assert response.status_code == 200 and response.json() == "pong"


def test_an_oversized_header_is_refused_early_with_431(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET /operations/ping HTTP/1.1\r\nHost: t\r\nX-Big: ")
    sent = 0
    try:
        for _ in range(4096):  # up to 256 MB, 64 KB at a time
            sock.sendall(b"a" * 65536)
            sent += 65536
    except OSError:
        pass  # the server closed on us: it stopped reading, as it should
    raw = read_response(sock)
    assert_json_error(raw, 431, "request_header_fields_too_large")
    assert sent < 32 << 20, f"{sent} bytes were taken in before the refusal"
    still_serving(server)


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"GET /" + b"a" * 130_000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414, "uri_too_long"),
        (
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(60)) + b"\r\n",
            431,
            "request_header_fields_too_large",
        ),
        (b"BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", 400, "bad_request"),
        (
            b"POST /api/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "bad_request",
        ),
        (
            b"POST /api/upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/octet-stream\r\n\r\nzz\r\nhello\r\n",
            400,
            "bad_request",
        ),
        (b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400, "bad_request"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400, "bad_request"),  # TLS to HTTP
    ],
    ids=["url-130kb", "60-headers", "bad-method", "cl-and-te", "bad-chunk", "bad-header", "tls"],
)
def test_protocol_errors_are_json(
    server: Server, request_bytes: bytes, status: int, code: str
) -> None:
    sock = connect(server)
    with contextlib.suppress(OSError):
        sock.sendall(request_bytes)
    error = assert_json_error(read_response(sock), status, code)
    assert len(str(error["message"])) < 300  # never an echo of the request
    still_serving(server)


def test_incomplete_headers_time_out_with_408(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET /operations/ping HTTP/1.1\r\nHost: t\r\n")
    started = time.monotonic()
    raw = read_response(sock, deadline=10)
    elapsed = time.monotonic() - started
    assert_json_error(raw, 408, "request_timeout")
    assert 2.5 <= elapsed <= 6, elapsed


def test_a_connection_that_sends_nothing_is_closed(server: Server) -> None:
    sock = connect(server)
    started = time.monotonic()
    assert read_response(sock, deadline=10) == b""  # closed, nothing said
    assert 1.5 <= time.monotonic() - started <= 5


def test_a_kept_alive_connection_is_closed_when_idle(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET /operations/ping HTTP/1.1\r\nHost: t\r\n\r\n")
    time.sleep(0.3)
    first = sock.recv(65536)
    assert parse(first)[0] == 200
    started = time.monotonic()
    assert read_response(sock, deadline=10) == b""
    assert 1.5 <= time.monotonic() - started <= 5


def test_a_stalled_body_times_out_with_408(server: Server) -> None:
    sock = connect(server)
    sock.sendall(
        b"POST /api/upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 1000\r\n\r\n" + b"x" * 100
    )
    started = time.monotonic()
    raw = read_response(sock, deadline=10)
    assert_json_error(raw, 408, "request_timeout")
    assert 1.5 <= time.monotonic() - started <= 5


def test_a_trickled_body_is_bounded_by_the_request_timeout(server: Server) -> None:
    sock = connect(server)
    sock.sendall(
        b"POST /api/upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 100000\r\n\r\n"
    )
    started = time.monotonic()
    raw = b""
    sock.settimeout(0.1)
    while time.monotonic() - started < 12:
        try:
            sock.sendall(b"x")  # four bytes a second: never near a 2 s pause
        except OSError:
            break
        try:
            chunk = sock.recv(65536)
            if not chunk:
                break
            raw += chunk
        except TimeoutError:
            pass
        time.sleep(0.15)
    raw += read_response(sock, deadline=3)
    error = assert_json_error(raw, 408, "request_timeout")
    assert "6 s" in str(error["message"])
    assert time.monotonic() - started < 9


def test_a_1gb_chunked_upload_is_refused_once_past_the_limit(server: Server) -> None:
    sock = connect(server)
    sock.sendall(
        b"POST /api/upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n" % 65536 + b"z" * 65536 + b"\r\n"
    sent = 0
    raw = b""
    sock.settimeout(0.05)
    try:
        while sent < 1 << 30:  # 1 GB
            sock.sendall(chunk)
            sent += 65536
            try:
                data = sock.recv(65536)
                if not data:
                    break
                raw += data
                if b"\r\n\r\n" in raw:
                    break
            except TimeoutError:
                pass
    except OSError:
        pass  # closed on us
    raw += read_response(sock, deadline=5)
    error = assert_json_error(raw, 413, "payload_too_large")
    assert error["details"] == {"limit": 1 << 20}
    assert sent < 64 << 20, f"{sent >> 20} MB were sent before the refusal"
    still_serving(server)


Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _loris(host: str, port: int, opened: list[Conn]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /operations/ping HTTP/1.1\r\nHost: t\r\nX-Slow: ")
    await writer.drain()
    opened.append((reader, writer))


async def _answer_of(reader: asyncio.StreamReader) -> bytes:
    try:
        return await asyncio.wait_for(reader.read(), timeout=LORIS_HEAD_TIMEOUT + 15)
    except (TimeoutError, ConnectionError):
        return b""


async def _slowloris(server: Server) -> dict[str, object]:
    host, port = address(server)
    conns: list[Conn] = []
    started = time.monotonic()
    results = await asyncio.gather(
        *(_loris(host, port, conns) for _ in range(1000)), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    latencies = []
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(20):  # answered while every slow connection is still open
            t0 = time.monotonic()
            response = await client.get(server.base + "/operations/ping")
            latencies.append(time.monotonic() - t0)
            assert response.status_code == 200
            for _, writer in conns[:100]:  # and some keep dribbling their header
                writer.write(b"x")
            await asyncio.sleep(0.05)
    during = time.monotonic() - started
    # Then the head timeout drops every one of them with a 408.
    answers = await asyncio.gather(*(_answer_of(reader) for reader, _ in conns))
    for _, writer in conns:
        writer.close()
    return {"failures": failures, "latencies": latencies, "during": during, "answers": answers}


def test_a_slowloris_of_1000_connections_does_not_stop_the_server(
    patient_server: Server,
) -> None:
    result = asyncio.run(_slowloris(patient_server))
    assert not result["failures"], result["failures"][:3]  # type: ignore[index]
    latencies = result["latencies"]
    assert isinstance(latencies, list)
    assert max(latencies) < 1.0, f"slowest answer during the attack: {max(latencies):.2f}s"
    during = result["during"]
    assert isinstance(during, float)
    assert during < LORIS_HEAD_TIMEOUT, "the answers were measured while all 1000 were open"
    answers = result["answers"]
    assert isinstance(answers, list) and len(answers) == 1000
    refused = [a for a in answers if a.startswith(b"HTTP/1.1 408 ")]
    assert len(refused) == 1000, f"{1000 - len(refused)} slow connections got no 408"
    assert_json_error(refused[0], 408, "request_timeout")
    still_serving(patient_server)


def test_the_server_log_names_each_refusal(server: Server) -> None:
    sock = connect(server)
    sock.sendall(b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(60)) + b"\r\n")
    assert_json_error(read_response(sock), 431, "request_header_fields_too_large")
    output = server.wait_output("refused a request from 127.0.0.1")
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    refusals = [line for line in lines if line.get("log.logger") == "sentinel.server"]
    assert refusals, output[-2000:]
    assert all(line["log.level"] == "warning" for line in refusals)
    assert any("431" in line["message"] for line in refusals)

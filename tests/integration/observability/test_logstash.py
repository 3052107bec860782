"""The Logstash shipper against loopback Logstash inputs (tcp json_lines, http JSON)."""

from __future__ import annotations

import logging
import logging.config
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.observability import context as request_context
from sentinel_spec.runtime.observability.logging import logging_config
from sentinel_spec.runtime.observability.logstash import (
    LogstashConfigError,
    LogstashHandler,
    handler_config,
)
from tests.in_process import serve
from tests.loopback import LogstashHttpStub, LogstashTcpStub, wait_for
from tests.servers import free_port


def make_logger(handler: logging.Handler, name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


@pytest.fixture
def handlers() -> Iterator[list[LogstashHandler]]:
    made: list[LogstashHandler] = []
    yield made
    for handler in made:
        handler.close()


def test_lines_reach_a_tcp_input_as_ecs_json(handlers: list[LogstashHandler]) -> None:
    with LogstashTcpStub() as stub:
        handler = LogstashHandler(stub.url, batch_size=10)
        handlers.append(handler)
        log = make_logger(handler, "test.logstash.tcp")
        token = request_context.begin("req-ls-1")
        try:
            request_context.bind_user("u-3")
            request_context.bind_workspace("ws-5")
            log.info("hello %s", "logstash", extra={"http.response.status_code": 201})
        finally:
            request_context.end(token)
        line = wait_for(lambda: stub.lines and stub.lines[0], what="the line")
    assert line["message"] == "hello logstash"
    assert line["log.level"] == "info" and line["log.logger"] == "test.logstash.tcp"
    assert line["trace.id"] == "req-ls-1"
    assert line["user.id"] == "u-3" and line["organization.id"] == "ws-5"
    assert line["http.response.status_code"] == 201
    assert line["ecs.version"] and line["@timestamp"].endswith("Z")


def test_lines_reach_an_http_input_in_batches(handlers: list[LogstashHandler]) -> None:
    with LogstashHttpStub() as stub:
        handler = LogstashHandler(stub.url, batch_size=50)
        handlers.append(handler)
        log = make_logger(handler, "test.logstash.http")
        for index in range(120):
            log.info("line %d", index)
        wait_for(lambda: len(stub.lines) == 120, what="120 lines")
    assert [line["message"] for line in stub.lines] == [f"line {i}" for i in range(120)]
    assert handler.sent == 120 and handler.dropped == 0


def test_a_dead_logstash_never_blocks_and_drops_are_counted_then_shipping_resumes(
    handlers: list[LogstashHandler], caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens here yet
    handler = LogstashHandler(
        f"tcp://127.0.0.1:{port}", queue_size=100, batch_size=10, report_every=0.0
    )
    handlers.append(handler)
    log = make_logger(handler, "test.logstash.dead")
    started = time.perf_counter()
    for index in range(5000):
        log.info("line %d", index)
    elapsed = time.perf_counter() - started
    # Blocking would mean waiting out the sender's reconnect backoff (0.5 s, 1 s, 2 s...)
    # on many of the 5000 lines; 10 s leaves room for a loaded machine.
    assert elapsed < 10.0, f"5000 lines took {elapsed:.2f}s: emit blocked"
    assert len(handler._queue) <= handler.capacity + handler.batch_size
    assert handler.dropped >= 5000 - handler.capacity - handler.batch_size
    with caplog.at_level(logging.WARNING, logger="sentinel.logstash"):
        wait_for(lambda: "dropped" in caplog.text, what="the drop report")
    assert "logstash: dropped" in caplog.text
    with LogstashTcpStub(port=port) as stub:  # Logstash comes back: the queue drains
        wait_for(lambda: len(stub.lines) >= 100, timeout=15, what="the queued lines")
        log.info("after the outage")
        wait_for(lambda: stub.lines[-1]["message"] == "after the outage", what="a new line")


def test_a_stalled_logstash_does_not_block_either(handlers: list[LogstashHandler]) -> None:
    # A TCP peer that accepts and never reads: the sender's socket buffer fills and its
    # sendall blocks in its own thread; emit() keeps returning at once.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
    try:
        handler = LogstashHandler(
            f"tcp://127.0.0.1:{server.getsockname()[1]}", queue_size=1000, timeout=300
        )
        handlers.append(handler)
        log = make_logger(handler, "test.logstash.stalled")
        payload = "x" * 2000
        started = time.perf_counter()
        for _ in range(20_000):  # 40 MB: far more than the socket buffers hold
            log.info(payload)
        elapsed = time.perf_counter() - started
        # An emit that waited on the stuck sender would wait out its 300 s send timeout;
        # 60 s leaves room for a loaded machine without hiding that.
        assert elapsed < 60.0, f"emit blocked: {elapsed:.2f}s"
        assert handler.dropped > 0
        assert len(handler._queue) <= handler.capacity + handler.batch_size
    finally:
        server.close()
        for conn in accepted:
            conn.close()


async def hello(args: Any, context: Context) -> str:
    logging.getLogger("app").info("inside the operation")
    return "hi"


DECL = AppDecl(
    name="Shipped",
    title="Shipped",
    operations=(Operation(name="hello", route_name="hello", kind="action", fn=hello),),
)


async def test_logging_config_ships_the_access_log_when_logstash_url_is_set() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    with LogstashTcpStub() as stub:
        try:
            logging.config.dictConfig(logging_config(environ={"LOGSTASH_URL": stub.url}))
            async with serve(DECL) as client:
                response = await client.post("/operations/hello", headers={"X-Request-ID": "r-77"})
            assert response.status_code == 200

            def ours() -> list[dict[str, Any]] | None:
                found = [line for line in stub.lines if line.get("trace.id") == "r-77"]
                return found if len(found) >= 2 else None

            lines = wait_for(ours, what="the app's and the access log's lines")
        finally:
            for handler in root.handlers:
                if isinstance(handler, LogstashHandler):
                    handler.close()
            root.handlers[:], level = saved
            root.setLevel(level)
    messages = {line["message"] for line in lines}
    assert "inside the operation" in messages
    access = next(line for line in lines if line["log.logger"] == "sentinel.access")
    assert access["url.path"] == "/operations/hello"
    assert access["http.response.status_code"] == 200
    assert access["event.duration"] > 0


def test_bad_settings_are_named() -> None:
    assert handler_config({}) is None
    with pytest.raises(LogstashConfigError, match="LOGSTASH_URL must start with tcp://"):
        handler_config({"LOGSTASH_URL": "udp://x:1"})
    with pytest.raises(LogstashConfigError, match="needs a host and a port"):
        handler_config({"LOGSTASH_URL": "tcp://host"})
    with pytest.raises(LogstashConfigError, match="LOGSTASH_QUEUE_SIZE must be a whole number"):
        handler_config({"LOGSTASH_URL": "tcp://h:1", "LOGSTASH_QUEUE_SIZE": "lots"})

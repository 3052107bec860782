"""JSON logs: one object a line per request and per error, carrying the request id."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.observability.logging import JsonFormatter, configure_logging
from tests.in_process import serve
from tests.stand_ins import authenticate_with


async def fail(args: Any, context: Context) -> None:
    raise ValueError("boom")


DECL = AppDecl(
    name="T",
    title="T",
    operations=(Operation(name="fail", route_name="fail", kind="action", fn=fail),),
)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


async def test_access_and_error_lines(json_lines: io.StringIO) -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/fail", headers={"x-request-id": "req-42"})
    assert response.status_code == 500
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    error = next(line for line in lines if line["log.level"] == "error")
    assert error["trace.id"] == "req-42"
    assert error["error.type"] == "ValueError" and error["error.message"] == "boom"
    assert "ValueError: boom" in error["error.stack_trace"]
    access = next(line for line in lines if line["log.logger"] == "sentinel.access")
    assert access["trace.id"] == "req-42"
    assert access["http.route"] == "/operations/fail"
    assert access["url.path"] == "/operations/fail"
    assert access["http.request.method"] == "POST"
    assert access["http.response.status_code"] == 500
    assert isinstance(access["event.duration"], int) and access["event.duration"] > 0
    assert {"@timestamp", "log.level", "message", "ecs.version"} <= set(access)
    assert access["@timestamp"].endswith("Z")


def test_configure_logging_installs_the_json_formatter() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("WARNING")
        assert root.level == logging.WARNING
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def test_procrastinates_unused_periodic_deferrer_stays_quiet() -> None:
    """Crons are deferred by Sentinel's scheduler: procrastinate's own deferrer saying at
    INFO that it "will not run" at every worker start is not logged; its warnings are."""
    root, periodic = logging.getLogger(), logging.getLogger("procrastinate.periodic")
    saved = (root.handlers[:], root.level, periodic.level)
    try:
        configure_logging("INFO")
        assert not periodic.isEnabledFor(logging.INFO)
        assert periodic.isEnabledFor(logging.WARNING)
        assert logging.getLogger("procrastinate.worker").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], level, periodic_level = saved
        root.setLevel(level)
        periodic.setLevel(periodic_level)


def test_the_dev_format_is_one_readable_line() -> None:
    from sentinel_spec.runtime.observability import context as request_context
    from sentinel_spec.runtime.observability.logging import ReadableFormatter

    record = logging.LogRecord("sentinel.access", logging.INFO, "", 0, "GET /x %s", (200,), None)
    setattr(record, "event.duration", 1_500_000)  # ns
    token = request_context.begin("0123456789abcdef")
    try:
        line = ReadableFormatter().format(record)
    finally:
        request_context.end(token)
    assert line.endswith("INFO    GET /x 200 1.5ms  [01234567]")
    assert "\n" not in line


async def test_the_access_line_names_the_signed_in_user(json_lines: io.StringIO) -> None:
    import httpx

    from sentinel_spec.runtime.app import create_app

    @dataclasses.dataclass
    class User:
        id: str

    async def as_user(request: object) -> User:
        return User("u-7")

    app = create_app(DECL, environ={}, dotenv=None, features=[authenticate_with(as_user)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.post("/operations/fail")
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    access = next(line for line in lines if line["log.logger"] == "sentinel.access")
    assert access["user.id"] == "u-7"
    error = next(line for line in lines if line["log.level"] == "error")
    assert error["user.id"] == "u-7"


def test_the_access_fast_path_writes_the_line_logging_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sentinel_spec.runtime.observability import context as request_context
    from sentinel_spec.runtime.observability.logging import LineBatchHandler
    from sentinel_spec.runtime.observability.request import (
        RequestContextMiddleware,
        _direct_handler,
        access_logger,
    )

    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    handler = LineBatchHandler(interval=60)
    handler.setFormatter(JsonFormatter(service_name="svc", environment="test"))
    monkeypatch.setattr(access_logger, "propagate", False)
    monkeypatch.setattr(access_logger, "handlers", [handler])
    monkeypatch.setattr(access_logger, "level", logging.INFO)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/operations/ping",
        "headers": [(b"user-agent", b"probe/1")],
        "client": ("10.1.2.3", 5000),
    }
    token = request_context.begin("req-7")
    try:
        request_context.bind_user("u-1")
        request_context.bind_workspace("w-2")
        assert _direct_handler() is handler  # the production set-up: no LogRecord made
        RequestContextMiddleware._log(scope, 201, 0.0025)
        handler.addFilter(logging.Filter())  # a filter must see a record: the slow path
        assert _direct_handler() is None
        RequestContextMiddleware._log(scope, 201, 0.0025)
    finally:
        request_context.end(token)
        handler.close()
    fast, slow = (json.loads(line) for line in stream.getvalue().splitlines())
    assert fast.pop("@timestamp").endswith("Z") and slow.pop("@timestamp").endswith("Z")
    assert fast == slow
    assert fast["message"] == "POST /operations/ping 201"
    assert fast["trace.id"] == "req-7" and fast["user.id"] == "u-1"
    assert fast["organization.id"] == "w-2" and fast["service.name"] == "svc"
    assert fast["event.duration"] == 2_500_000 and fast["client.ip"] == "10.1.2.3"


def test_the_access_fast_path_steps_aside_for_other_handlers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sentinel_spec.runtime.observability.logging import LineBatchHandler, ReadableFormatter
    from sentinel_spec.runtime.observability.request import _direct_handler, access_logger

    handler = LineBatchHandler(interval=60)
    try:
        handler.setFormatter(JsonFormatter())
        monkeypatch.setattr(access_logger, "propagate", False)
        monkeypatch.setattr(access_logger, "handlers", [handler, logging.NullHandler()])
        assert _direct_handler() is None  # two handlers: each must get the record
        monkeypatch.setattr(access_logger, "handlers", [handler])
        handler.setFormatter(ReadableFormatter())
        assert _direct_handler() is None  # dev's lines
        handler.setFormatter(JsonFormatter())
        handler.setLevel(logging.WARNING)
        assert _direct_handler() is None
    finally:
        handler.close()


def test_the_timestamp_text_is_the_same_from_its_cache() -> None:
    import time

    from sentinel_spec.runtime.observability import ecs

    def uncached(created: float) -> str:
        seconds = int(created)
        whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        return f"{whole}.{int((created - seconds) * 1000):03d}Z"

    base = 1_796_000_000.0
    moments = [base + 0.0001, base + 0.0009, base + 0.001, base + 0.9995, base + 1.0004]
    moments += [base + 1.0004, base + 0.0001, base + 59.999, base + 60.0]  # back and again
    for created in moments:
        assert ecs._timestamp(created) == uncached(created), created


def test_the_access_line_takes_a_known_client_only_while_it_is_the_scopes() -> None:
    from sentinel_spec.runtime.observability.request import RequestContextMiddleware

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    access = logging.getLogger("sentinel.access")
    keep = Keep()
    access.addHandler(keep)
    saved = access.level
    access.setLevel(logging.INFO)
    try:
        client = ("10.0.0.1", 1)
        scope = {"method": "POST", "path": "/x", "headers": [], "client": client}
        RequestContextMiddleware._log(scope, 200, 0.001, (client, "10.0.0.1"))
        scope["client"] = ("10.0.0.2", 1)  # changed since: the known address is not used
        RequestContextMiddleware._log(scope, 200, 0.001, (client, "10.0.0.1"))
    finally:
        access.removeHandler(keep)
        access.setLevel(saved)
    assert [getattr(r, "client.ip") for r in records] == ["10.0.0.1", "10.0.0.2"]


def test_the_writer_is_woken_once_a_batch_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    from sentinel_spec.runtime.observability.logging import LineBatchHandler

    monkeypatch.setattr("sys.stderr", io.StringIO())
    handler = LineBatchHandler(interval=60, batch=3)
    sets: list[bool] = []
    wake = handler._wake  # the writer thread waits on this one: it is never set here
    handler._wake = type("Wake", (), {"set": lambda self: sets.append(True)})()  # type: ignore[assignment]
    try:
        for n in range(7):  # the writer never runs: lines pile up past the batch
            handler.emit_line(f"line {n}", logging.INFO)
        assert sets == [True]
        handler.flush()
        for n in range(3):
            handler.emit_line(f"again {n}", logging.INFO)
        assert sets == [True, True]  # the next batch wakes it again
    finally:
        handler._wake = wake
        handler.close()

"""Ship log lines to a Logstash TCP or HTTP input without ever blocking a request.

``LOGSTASH_URL`` turns it on: ``tcp://host:5000`` (a ``tcp`` input with the
``json_lines`` codec) or ``http://host:8080`` / ``https://...`` (an ``http`` input: each
batch is POSTed as a JSON array, which its ``json`` codec splits into events).

``emit`` (in the request's thread) formats the record (so it keeps the request's ids) and
appends the line to a bounded in-memory queue; a daemon thread sends batches. When the
queue is full (Logstash down or slow) new lines are dropped and counted, never buffered
without bound; the drops are reported, at most once a minute, on the other handlers
(stderr) as ``logstash: dropped N log lines``. The sender reconnects with backoff.

Settings: ``LOGSTASH_URL``, ``LOGSTASH_QUEUE_SIZE`` (lines, default 10000),
``LOGSTASH_BATCH_SIZE`` (default 500), ``LOGSTASH_TIMEOUT`` (seconds, default 5).
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sentinel_spec.runtime.observability.ecs import EcsFormatter

# The shipper's own reports go to the other handlers only (never back into the queue).
report_logger = logging.getLogger("sentinel.logstash")


class LogstashConfigError(ValueError):
    """LOGSTASH_URL (or a LOGSTASH_* number) is malformed; the message names it."""


def _int_setting(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise LogstashConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise LogstashConfigError(f"{name} must be at least 1, got {value}")
    return value


def handler_config(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The ``dictConfig`` handler entry for ``LOGSTASH_URL``, or None when it is unset."""
    url = environ.get("LOGSTASH_URL", "").strip()
    if not url:
        return None
    parse_url(url)  # fail at start-up, with the variable's name, not in the thread
    timeout = environ.get("LOGSTASH_TIMEOUT", "").strip() or "5"
    try:
        timeout_s = float(timeout)
    except ValueError:
        raise LogstashConfigError(f"LOGSTASH_TIMEOUT must be seconds, got {timeout!r}") from None
    return {
        "()": "sentinel_spec.runtime.observability.logstash.LogstashHandler",
        "url": url,
        "queue_size": _int_setting(environ, "LOGSTASH_QUEUE_SIZE", 10_000),
        "batch_size": _int_setting(environ, "LOGSTASH_BATCH_SIZE", 500),
        "timeout": timeout_s,
    }


def parse_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of ``tcp://``, ``http://`` or ``https://``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("tcp", "http", "https"):
        raise LogstashConfigError(
            f"LOGSTASH_URL must start with tcp://, http:// or https://, got {url!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise LogstashConfigError(f"LOGSTASH_URL has a bad port: {url!r}") from None
    if not parts.hostname or (scheme == "tcp" and port is None):
        raise LogstashConfigError(f"LOGSTASH_URL needs a host and a port, got {url!r}")
    default_port = {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, parts.hostname, port or default_port, parts.path or "/"


class NotFromShipper(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name != report_logger.name


class LogstashHandler(logging.Handler):
    """A non-blocking handler: a bounded queue drained by one sender thread."""

    def __init__(
        self,
        url: str,
        queue_size: int = 10_000,
        batch_size: int = 500,
        timeout: float = 5.0,
        report_every: float = 60.0,
    ) -> None:
        super().__init__()
        self.url = url
        self.scheme, self.host, self.port, self.path = parse_url(url)
        self.capacity = queue_size
        self.batch_size = batch_size
        self.timeout = timeout
        self.report_every = report_every
        self.sent = 0
        self.dropped = 0
        self._reported_drops = 0
        self._last_report = 0.0
        self._queue: deque[str] = deque()
        self._wake = threading.Condition(threading.Lock())
        self._stopping = False
        self._sock: socket.socket | None = None
        self._http: http.client.HTTPConnection | None = None
        self.setFormatter(EcsFormatter())  # always ECS, even when stderr is for people
        self.addFilter(NotFromShipper())
        self._thread = threading.Thread(target=self._run, name="logstash-shipper", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- request side

    def emit(self, record: logging.LogRecord) -> None:
        if len(self._queue) >= self.capacity:
            self.dropped += 1  # a lost increment under a race only undercounts by one
            return
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._queue.append(line)
        if len(self._queue) >= self.batch_size or not self._sock:
            with self._wake:
                self._wake.notify()

    def close(self) -> None:
        """Flush what is queued (bounded by ``timeout``), then stop the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(self.timeout + 1)
        super().close()

    def flush(self) -> None:
        deadline = time.monotonic() + self.timeout
        while self._queue and time.monotonic() < deadline and self._thread.is_alive():
            with self._wake:
                self._wake.notify()
            time.sleep(0.01)

    # ---------------------------------------------------------------- sender thread

    def _run(self) -> None:
        backoff = 0.5
        while True:
            with self._wake:
                if not self._queue and not self._stopping:
                    self._wake.wait(timeout=1.0)
                stopping = self._stopping
            self._report_drops()
            batch = self._take()
            if not batch:
                if stopping:
                    self._disconnect()
                    return
                continue
            try:
                self._send(batch)
                self.sent += len(batch)
                backoff = 0.5
            except (OSError, http.client.HTTPException) as error:
                self._disconnect()
                # Put the batch back in front; while Logstash is down the queue fills and
                # emit() drops (and counts) new lines instead of growing.
                self._queue.extendleft(reversed(batch))
                if stopping:
                    self.dropped += len(self._queue)
                    self._queue.clear()
                    self._report_drops(force=True, cause=error)
                    return
                self._wait(backoff)
                backoff = min(backoff * 2, 30.0)

    def _take(self) -> list[str]:
        batch: list[str] = []
        while self._queue and len(batch) < self.batch_size:
            batch.append(self._queue.popleft())
        return batch

    def _wait(self, seconds: float) -> None:
        with self._wake:
            if not self._stopping:
                self._wake.wait(timeout=seconds)

    def _send(self, batch: list[str]) -> None:
        if self.scheme == "tcp":
            if self._sock is None:
                self._sock = socket.create_connection((self.host, self.port), self.timeout)
            self._sock.sendall(("\n".join(batch) + "\n").encode("utf-8"))
            return
        if self._http is None:
            if self.scheme == "https":
                self._http = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                self._http = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        body = ("[" + ",".join(batch) + "]").encode("utf-8")
        self._http.request("POST", self.path, body, {"Content-Type": "application/json"})
        response = self._http.getresponse()
        response.read()
        if response.status >= 300:
            raise http.client.HTTPException(f"Logstash answered {response.status}")

    def _disconnect(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
        if self._http is not None:
            self._http.close()
            self._http = None

    def _report_drops(self, force: bool = False, cause: BaseException | None = None) -> None:
        new = self.dropped - self._reported_drops
        now = time.monotonic()
        if new <= 0 or (not force and now - self._last_report < self.report_every):
            return
        self._reported_drops += new
        self._last_report = now
        report_logger.warning(
            "logstash: dropped %d log lines (queue of %d full; %s)",
            new,
            self.capacity,
            f"{type(cause).__name__}: {cause}" if cause else "Logstash slow or unreachable",
            extra={"event.action": "log-lines-dropped", "logstash.dropped": new},
        )

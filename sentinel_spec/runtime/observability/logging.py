"""Logging set-up: ECS JSON lines (or readable lines in dev), level from ``LOG_LEVEL``.

The request's ids live in ``observability.context`` (opened by ``RequestContextMiddleware``);
each line is formatted by ``observability.ecs.EcsFormatter``; ``LOGSTASH_URL`` adds the
non-blocking shipper of ``observability.logstash``.
"""

from __future__ import annotations

import collections
import logging
import os
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

from sentinel_spec.runtime.observability import context as request_context
from sentinel_spec.runtime.observability.ecs import EcsFormatter, log_level_from_env

JsonFormatter = EcsFormatter  # the name servers and tests have always used


class ReadableFormatter(logging.Formatter):
    """``sentinel dev``'s terminal lines: time, level, message, duration, short request id."""

    def format(self, record: logging.LogRecord) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        text = f"{clock} {record.levelname:<7} {record.getMessage()}"
        duration = getattr(record, "event.duration", None)
        if duration is not None:
            text += f" {duration / 1e6:.1f}ms"
        request_id = request_context.current_request_id()
        if request_id:
            text += f"  [{request_id[:8]}]"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def lean_log_records() -> None:
    """Records without the caller's file/line, thread and process names: the JSON lines do
    not show them, and looking them up is a third of what a record costs to make."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None


class LineBatchHandler(logging.Handler):
    """Formats in the caller's thread (so each line keeps its request's ids) and writes to
    stderr from a daemon thread: one write system call per batch instead of one per line.

    A batch goes out every ``interval`` seconds, or at once when ``batch`` lines are
    waiting, when a record is ERROR or worse (a crash's last words are never held back),
    and at ``flush``/``close`` (logging.shutdown runs it at exit). At most ``capacity``
    lines wait; past that the oldest waiting lines are written in the caller's thread
    rather than dropped: stderr is the log of record, unlike the Logstash copy.
    """

    def __init__(self, interval: float = 0.2, batch: int = 256, capacity: int = 10_000) -> None:
        super().__init__()
        self.interval = interval
        self.batch = batch
        self.capacity = capacity
        self._lines: list[str] = []
        self._pending: collections.deque[list[str]] = collections.deque()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="log-writer", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._queue(line, record.levelno)

    def emit_line(self, line: str, levelno: int) -> None:
        """Queue a line formatted elsewhere (the access log's fast path), as ``emit``
        would queue it: under the handler's lock, which ``flush`` takes to swap batches."""
        with self.lock:  # type: ignore[union-attr]
            self._queue(line, levelno)

    def _queue(self, line: str, levelno: int) -> None:
        lines = self._lines
        lines.append(line)
        if levelno >= logging.ERROR or len(lines) >= self.capacity:
            self.flush()
        elif len(lines) == self.batch:
            # Woken once, as the batch fills: lines go on arriving until the writer
            # takes them (a busy event loop may hold it off), and setting the event
            # again for each (a lock and a notify) would change nothing.
            self._wake.set()

    def flush(self) -> None:
        # Batches are taken under the handler's lock (emit runs under it) and written under
        # the write lock, never both the other way round: an emitter holding the handler's
        # lock may flush (an ERROR line) while the writer thread writes. The deque keeps
        # batches in the order they were taken.
        with self.lock:  # type: ignore[union-attr]
            if self._lines:
                self._pending.append(self._lines)
                self._lines = []
        with self._write_lock:
            while self._pending:
                lines = self._pending.popleft()
                stream = sys.stderr
                try:
                    stream.write("\n".join(lines) + "\n")
                    stream.flush()
                except (OSError, ValueError):
                    pass  # stderr closed under us (shutdown): nowhere left to write

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        self.flush()
        super().close()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()


def logging_config(
    level: int | str | None = None,
    *,
    readable: bool = False,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A ``logging.config.dictConfig``: every record one ECS JSON line on stderr (or, with
    ``readable``, one plain line for a person at a terminal); a Logstash shipper beside it
    when ``LOGSTASH_URL`` is set. ``level`` defaults to ``LOG_LEVEL`` (default info).

    Servers pass it to uvicorn (``log_config=``), which applies it in every worker
    process. uvicorn's own access log is silenced: ``RequestContextMiddleware`` logs each
    request with its request id instead.
    """
    from sentinel_spec.runtime.observability.logstash import handler_config

    env = os.environ if environ is None else environ
    if level is None:
        level = log_level_from_env(env)
    formatter = ReadableFormatter if readable else JsonFormatter
    handlers: dict[str, Any] = {
        "stderr": {
            # JSON for machines is written in batches, off the request's path; lines for a
            # person at a terminal go out one by one, as they happen.
            "()": "sentinel_spec.runtime.observability.logging.LineBatchHandler",
            "formatter": "default",
        }
        if not readable
        else {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "stream": "ext://sys.stderr",
        }
    }
    lean_log_records()
    shipper = handler_config(env)
    if shipper is not None:
        handlers["logstash"] = shipper
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
            # Sentinel defers cron ticks itself (runtime/jobs/schedule.py), never through
            # procrastinate's periodic deferrer, whose "No periodic task found, periodic
            # deferrer will not run" at every worker start read as if crons were off.
            "procrastinate.periodic": {"level": "WARNING"},
        },
    }


def configure_logging(level: int | str | None = None) -> None:
    """Route every log record to stderr as one JSON object a line."""
    import logging.config

    logging.config.dictConfig(logging_config(level))

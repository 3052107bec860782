"""JSON logs: one object a line, each carrying the request id of the call it belongs to
(``observability.request_id``); or, for ``sentinel dev``, one readable line."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from sentinel_spec.runtime.observability.request_id import current_request_id

# LogRecord attributes that are not "extra" fields passed by the caller.
# uvicorn's ``color_message`` repeats the message with terminal colour codes.
_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "color_message"}
)


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, request_id, any ``extra=`` fields, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class ReadableFormatter(logging.Formatter):
    """``sentinel dev``'s terminal lines: time, level, message, duration, short request id."""

    def format(self, record: logging.LogRecord) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        text = f"{clock} {record.levelname:<7} {record.getMessage()}"
        duration = getattr(record, "duration_ms", None)
        if duration is not None:
            text += f" {duration}ms"
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            text += f"  [{request_id[:8]}]"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def logging_config(level: int | str = "INFO", *, readable: bool = False) -> dict[str, Any]:
    """A ``logging.config.dictConfig``: every record one JSON line on stderr (or, with
    ``readable``, one plain line for a person at a terminal).

    Servers pass it to uvicorn (``log_config=``), which applies it in every worker
    process. uvicorn's own access log is silenced: ``AccessLogMiddleware`` logs each
    request with its request id instead.
    """
    formatter = ReadableFormatter if readable else JsonFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def configure_logging(level: int | str = "INFO") -> None:
    """Route every log record to stderr as one JSON object a line."""
    import logging.config

    logging.config.dictConfig(logging_config(level))

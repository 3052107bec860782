"""HTTP errors and the one JSON shape every error response has.

``{"error": {"code", "message", "details", "requestId"}}`` is the contract of
RUNTIME.md; everything that answers with an error goes through ``error_response``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from sentinel_spec.runtime.observability.context import current_request_id

logger = logging.getLogger("sentinel.runtime")

# Called with every unhandled exception (the 500s): Sentry registers itself here.
_error_reporters: list[Callable[[BaseException], None]] = []


def add_error_reporter(reporter: Callable[[BaseException], None]) -> None:
    if reporter not in _error_reporters:
        _error_reporters.append(reporter)


def remove_error_reporter(reporter: Callable[[BaseException], None]) -> None:
    if reporter in _error_reporters:
        _error_reporters.remove(reporter)


def report_exception(error: BaseException) -> None:
    for reporter in _error_reporters:
        try:
            reporter(error)
        except Exception:  # a broken reporter must not turn a 500 into a crash
            logger.warning("error reporter %r failed", reporter, exc_info=True)


# nginx's status for "the client closed the connection before the answer" (access log).
CLIENT_CLOSED = 499

# status -> machine-readable code: RUNTIME.md's table, plus the statuses user code
# commonly raises; any other status is named after its HTTP reason phrase.
ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

DEFAULT_MESSAGES: dict[int, str] = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def code_for_status(status: int) -> str:
    if status in ERROR_CODES:
        return ERROR_CODES[status]
    try:
        phrase = HTTPStatus(status).phrase  # 418 -> "I'm a Teapot" -> "im_a_teapot"
    except ValueError:
        return "internal_error" if status >= 500 else "bad_request"
    return "_".join("".join(c for c in word if c.isalnum()) for word in phrase.lower().split())


class HttpError(Exception):
    """Raise from user code to answer with ``status``; ``data`` becomes ``details``."""

    def __init__(
        self,
        status: int,
        message: str = "",
        data: Any = None,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not 400 <= status <= 599:
            raise ValueError(f"HttpError needs an error status (400-599), not {status}")
        self.status = status
        self.message = message or DEFAULT_MESSAGES.get(status, "Error")
        self.data = data
        self.code = code or code_for_status(status)
        self.headers = headers
        super().__init__(status, self.message)


class ServiceUnavailable(HttpError):
    """A dependency (the database) cannot be reached: 503 ``unavailable``."""

    def __init__(self, message: str = "Database unavailable", data: Any = None) -> None:
        super().__init__(503, message, data)


def error_body(status: int, code: str, message: str, details: Any, request_id: str | None) -> bytes:
    # Imported here: serialization is a sibling with no reverse dependency on errors.
    from sentinel_spec.runtime.serialization import dumps

    payload = {
        "error": {"code": code, "message": message, "details": details, "requestId": request_id}
    }
    return dumps(payload)


class _RawJSONResponse(JSONResponse):
    """A JSONResponse whose content is already encoded bytes."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


# What an error message may quote of the request: a 9 MB id must not make a 9 MB 404.
MAX_MESSAGE_CHARS = 500


def bounded(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with a marker saying how much was cut)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    request_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The one error response: ``{"error": {"code", "message", "details", "requestId"}}``."""
    rid = request_id if request_id is not None else current_request_id()
    body = error_body(status, code, bounded(message), details, rid)
    return _RawJSONResponse(body, status_code=status, headers=headers)


def http_error_response(error: HttpError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.data, None, error.headers)


def internal_error_response(error: BaseException, where: str) -> JSONResponse:
    """Log ``error`` with its traceback, report it (Sentry); answer 500 with the request id
    and nothing else."""
    logger.error("unhandled error in %s", where, exc_info=error)
    report_exception(error)
    return error_response(500, "internal_error", DEFAULT_MESSAGES[500])


def exception_response(error: BaseException, where: str) -> Response:
    """The JSON error for any exception: HttpError and Starlette's HTTPException keep their
    status; anything else is a logged 500."""
    if isinstance(error, HttpError):
        return http_error_response(error)
    if isinstance(error, ClientDisconnect):
        # The client went away mid-request: nobody is left to answer and nothing failed.
        logger.info("client disconnected before the request was read (%s)", where)
        return error_response(CLIENT_CLOSED, "client_closed_request", "Client closed the request")
    if isinstance(error, HTTPException):  # Starlette's own 404/405, or one a middleware raised
        headers = dict(error.headers) if error.headers else None
        status = error.status_code
        message = error.detail if error.detail else DEFAULT_MESSAGES.get(status, "Error")
        return error_response(status, code_for_status(status), message, None, None, headers)
    return internal_error_response(error, where)


async def _handle(request: Request, exc: Exception) -> Response:
    return exception_response(exc, f"{request.method} {request.url.path}")


# Starlette routes these to the innermost handler; ``Exception`` is the last resort for an
# error that escapes even RequestContextMiddleware (which answers with the request id itself).
EXCEPTION_HANDLERS: dict[Any, Any] = {
    HttpError: _handle,
    HTTPException: _handle,
    Exception: _handle,
}

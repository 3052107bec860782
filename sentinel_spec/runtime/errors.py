"""HTTP errors and the one JSON shape every error response has.

``{"error": {"code", "message", "details", "requestId"}}`` is the contract of
RUNTIME.md; everything that answers with an error goes through ``error_response``.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sentinel_spec.runtime.observability import current_request_id

logger = logging.getLogger("sentinel.runtime")

# status -> machine-readable code (RUNTIME.md's table); anything else maps by class.
ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
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
    return "internal_error" if status >= 500 else "bad_request"


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
        self.status = status
        self.message = message or DEFAULT_MESSAGES.get(status, "Error")
        self.data = data
        self.code = code or code_for_status(status)
        self.headers = headers
        super().__init__(status, self.message)


class ServiceUnavailable(HttpError):
    """A dependency (the database) cannot be reached: 503 ``unavailable``."""

    def __init__(self, message: str = "Database unavailable", data: Any = None) -> None:
        super().__init__(503, message, data, code="unavailable")


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
    body = error_body(status, code, message, details, rid)
    return _RawJSONResponse(body, status_code=status, headers=headers)


def http_error_response(error: HttpError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.data, None, error.headers)


def internal_error_response(error: BaseException, where: str) -> JSONResponse:
    """Log ``error`` with its traceback; answer 500 with the request id and nothing else."""
    logger.error("unhandled error in %s", where, exc_info=error)
    return error_response(500, "internal_error", DEFAULT_MESSAGES[500])


async def _handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return http_error_response(exc)


async def _handle_starlette_http_exception(request: Request, exc: Exception) -> Response:
    # Starlette's own 404 / 405 (and any HTTPException raised by middleware or user code).
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers) if exc.headers else None
    message = exc.detail if exc.detail else DEFAULT_MESSAGES.get(exc.status_code, "Error")
    return error_response(
        exc.status_code, code_for_status(exc.status_code), message, None, None, headers
    )


async def _handle_unexpected(request: Request, exc: Exception) -> Response:
    return internal_error_response(exc, f"{request.method} {request.url.path}")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HttpError: _handle_http_error,
    HTTPException: _handle_starlette_http_exception,
    Exception: _handle_unexpected,
}

"""Body limits by content type (JSON, form, raw), enforced while the body streams in."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.contract.declarations import BodyLimits
from sentinel_spec.runtime.errors import HttpError, error_response
from sentinel_spec.runtime.middleware.deferred import mark, rewind
from sentinel_spec.runtime.middleware.headers import request_header


class PayloadTooLarge(HttpError):
    """413; ``Connection: close``: the rest of the body is not read (the server closes)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"Request body is larger than {limit} bytes",
            {"limit": limit},
            headers={"Connection": "close"},
        )


def limit_for(content_type: str | None, limits: BodyLimits) -> int:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    # A body without a Content-Type is read as JSON by operations: it gets JSON's limit.
    if not media or media == "application/json" or media.endswith("+json"):
        return limits.json_bytes
    if media == "application/x-www-form-urlencoded":
        return limits.form_bytes
    return limits.raw_bytes  # multipart, octet-stream, anything else


class BodyLimitMiddleware:
    """413 as soon as a body exceeds its content type's limit: by Content-Length before
    the app runs, or, for chunked bodies, while the chunks arrive."""

    def __init__(
        self, app: ASGIApp, limits: BodyLimits, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.limits = limits
        # Paths with a limit of their own (the upload endpoint: app.uploads.maxSize).
        self.overrides = overrides if overrides is not None else {}
        # Content-Type value -> limit: clients send a handful of distinct values.
        self._by_type: dict[str | None, int] = {}

    def _limit_for(self, content_type: str | None) -> int:
        limit = self._by_type.get(content_type)
        if limit is None:
            limit = limit_for(content_type, self.limits)
            if len(self._by_type) < 256:  # bounded: the values come from clients
                self._by_type[content_type] = limit
        return limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(scope["path"]) or self._limit_for(
            request_header(scope, b"content-type")
        )
        declared = request_header(scope, b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                await _send_error(PayloadTooLarge(limit), scope, receive, send)
            else:
                # The server delivers no more than Content-Length: nothing to count.
                await self.app(scope, receive, send)
            return

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        queued = mark(scope)
        try:
            await self.app(scope, counting(receive, limit), tracking_send)
        except PayloadTooLarge as error:
            # Raised through a route that did not turn it into a response itself.
            if not started:
                rewind(scope, queued)  # the layers inside never saw this answer
                await _send_error(error, scope, receive, send)


def counting(receive: Receive, limit: int) -> Receive:
    """``receive`` raising 413 once a body without Content-Length passes ``limit`` (the
    fused stack counts with it too)."""
    received = 0

    async def counting_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise PayloadTooLarge(limit)
        return message

    return counting_receive


async def _send_error(error: HttpError, scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(
        error.status, error.code, error.message, error.data, headers=error.headers
    )
    await response(scope, receive, send)

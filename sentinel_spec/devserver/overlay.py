"""Dev-only ASGI middleware that makes the reloader's problems visible to clients.

While ``.sentinel/dev-errors.json`` lists problems (the spec does not compile,
or user code failed to import) the last good app keeps serving, and:

- ``GET /__sentinel/errors`` answers ``{"errors": [...]}`` (always, [] when fine);
- every response carries ``X-Sentinel-Spec-Errors: <count>``;
- HTML responses get an overlay banner listing the diagnostics.

When no app serves at all (the spec was broken at start, or the app never
imported) a worker serves ``ProblemsApp`` instead, so requests get a quick 503
naming the problems rather than hanging on a socket nobody accepts from.

The check is one ``stat`` per request; the file is re-read only when it changes.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from sentinel_spec.devserver.diagnostics import errors_path, read_problems

ERRORS_ROUTE = "/__sentinel/errors"
HEADER = b"x-sentinel-spec-errors"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Any
Send = Any
ASGIApp = Any


class ProblemsFile:
    """The problems file, re-read only when its mtime changes."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.path = errors_path(project_dir)
        self._stamp: int | None = None
        self._problems: list[dict[str, object]] = []

    def current(self) -> list[dict[str, object]]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._stamp, self._problems = None, []
            return []
        if stamp != self._stamp:
            self._problems = read_problems(self.project_dir)
            self._stamp = stamp
        return self._problems


def banner_html(
    problems: list[dict[str, object]], headline: str = "serving the last good app"
) -> str:
    items = "".join(
        f"<pre style='margin:.5em 0;white-space:pre-wrap'>"
        f"{html.escape(str(p.get('rendered') or p.get('message')))}</pre>"
        for p in problems
    )
    return (
        "<div id='sentinel-dev-errors' style='position:fixed;inset:0 0 auto 0;z-index:2147483647;"
        "max-height:60vh;overflow:auto;background:#2b0b0e;color:#ffd7d7;"
        "font:13px/1.4 monospace;padding:1em;border-bottom:3px solid #ff5555'>"
        f"<strong>sentinel dev: {len(problems)} problem(s); {html.escape(headline)}"
        f"</strong>{items}</div>"
    )


class DevErrorsMiddleware:
    def __init__(self, app: ASGIApp, project_dir: Path) -> None:
        self.app = app
        self.problems = ProblemsFile(project_dir)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = self.problems.current()
        if scope["path"] == ERRORS_ROUTE:
            await self._send_errors(send, problems)
            return
        if not problems:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Annotator(send, problems))

    @staticmethod
    async def _send_errors(send: Send, problems: list[dict[str, object]]) -> None:
        body = json.dumps({"errors": problems}).encode()
        await _respond(send, 200, b"application/json", body, problems)


async def _respond(
    send: Send,
    status: int,
    content_type: bytes,
    body: bytes,
    problems: list[dict[str, object]],
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (HEADER, str(len(problems)).encode()),
        *(extra_headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


NOT_SERVING = "no app is serving until they are fixed"


class ProblemsApp:
    """What a worker serves when there is no good app: 503 ``unavailable`` and the problems.

    API clients get the RUNTIME.md error shape with the problems as ``details``;
    browsers (``Accept: text/html``) get a page with the same listing.
    ``/__sentinel/errors`` answers as it does beside a running app.
    """

    def __init__(self, project_dir: Path) -> None:
        self.problems = ProblemsFile(project_dir)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _answer_lifespan(receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013})  # 1013: try again later
            return
        problems = self.problems.current()
        if scope["path"] == ERRORS_ROUTE:
            await DevErrorsMiddleware._send_errors(send, problems)
            return
        request_id = os.urandom(16).hex()
        ids = [(b"x-request-id", request_id.encode()), (b"retry-after", b"1")]
        if _accepts_html(scope):
            page = (
                "<!doctype html><html><head><title>sentinel dev: not serving</title></head>"
                f"<body>{banner_html(problems, NOT_SERVING)}</body></html>"
            )
            await _respond(send, 503, b"text/html; charset=utf-8", page.encode(), problems, ids)
            return
        from sentinel_spec.runtime.errors import error_body

        count = len(problems)
        message = (
            f"sentinel dev: {count} problem(s); {NOT_SERVING}"
            if count
            else "sentinel dev: the app is not running; save a file to start it again"
        )
        body = error_body(503, "unavailable", message, problems, request_id)
        await _respond(send, 503, b"application/json", body, problems, ids)


def _accepts_html(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name.lower() == b"accept":
            return b"text/html" in value.lower()
    return False


async def _answer_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class _Annotator:
    """Wraps ``send``: adds the header everywhere, buffers HTML to inject the banner."""

    def __init__(self, send: Send, problems: list[dict[str, object]]) -> None:
        self.send = send
        self.problems = problems
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
            headers.append((HEADER, str(len(self.problems)).encode()))
            message = {**message, "headers": headers}
            content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
            if content_type.startswith(b"text/html"):
                self.start = message  # hold until the whole body is here
                return
            await self.send(message)
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        await self._flush_html()

    async def _flush_html(self) -> None:
        assert self.start is not None
        page = b"".join(self.chunks)
        banner = banner_html(self.problems).encode()
        marker = page.lower().rfind(b"</body>")
        page = page[:marker] + banner + page[marker:] if marker >= 0 else page + banner
        headers = [(k, v) for k, v in self.start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(page)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": page})

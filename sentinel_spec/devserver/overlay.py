"""Dev-only ASGI middleware that makes the reloader's problems visible to clients.

While ``.sentinel/dev-errors.json`` lists problems (the spec does not compile,
or user code failed to import) the last good app keeps serving, and:

- ``GET /__sentinel/errors`` answers ``{"errors": [...]}`` (always, [] when fine);
- every response carries ``X-Sentinel-Spec-Errors: <count>``;
- HTML responses get an overlay banner listing the diagnostics.

The check is one ``stat`` per request; the file is re-read only when it changes.
"""

from __future__ import annotations

import html
import json
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


def banner_html(problems: list[dict[str, object]]) -> str:
    items = "".join(
        f"<pre style='margin:.5em 0;white-space:pre-wrap'>"
        f"{html.escape(str(p.get('rendered') or p.get('message')))}</pre>"
        for p in problems
    )
    return (
        "<div id='sentinel-dev-errors' style='position:fixed;inset:0 0 auto 0;z-index:2147483647;"
        "max-height:60vh;overflow:auto;background:#2b0b0e;color:#ffd7d7;"
        "font:13px/1.4 monospace;padding:1em;border-bottom:3px solid #ff5555'>"
        f"<strong>sentinel dev: {len(problems)} problem(s); serving the last good app"
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
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (HEADER, str(len(problems)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


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

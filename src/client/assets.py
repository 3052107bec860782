"""GET /assets/:name: the app's one stylesheet and its one script, from src/client/static.

Only the files listed here are served (no path is ever joined from the URL). Each answer
has a strong ETag, so a browser revalidates with a 304 instead of downloading again;
the layout links ``?v=<content hash>``, which may be cached for good.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import Response

from sentinel_spec.runtime import HttpError

STATIC = Path(__file__).parent / "static"
FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


@cache
def _load(name: str) -> tuple[bytes, str]:
    body = (STATIC / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def version(name: str) -> str:
    """A short content hash for ``?v=`` in the templates (a new file, a new URL)."""
    return _load(name)[1].strip('"')[:12]


async def asset(request: Any, context: Any) -> Response:
    name = request.path_params.get("name", "")
    if name not in FILES:
        raise HttpError(404, "No such asset")
    body, etag = _load(name)
    # A versioned URL (?v= of this content) never changes; a bare one is revalidated.
    versioned = request.query_params.get("v") == version(name)
    cache_control = "public, max-age=31536000, immutable" if versioned else "no-cache"
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=FILES[name], headers=headers)

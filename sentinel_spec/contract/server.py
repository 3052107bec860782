"""``app.server.limits``: what the HTTP server (uvicorn, with Sentinel's protocol guard)
accepts before a request reaches the app. Shared by the compiler (AppSpec), the CLI that
starts the server and the runtime's protocol guard; standard library only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class ServerLimits:
    """Sizes in bytes, times in seconds; the defaults are the documented safe ones."""

    # The request line's target (path + query): longer gets 414.
    max_url_bytes: int = 8 * 1024
    # All header names and values together: more gets 431.
    max_header_bytes: int = 32 * 1024
    # How many header lines: more gets 431.
    max_headers: int = 100
    # From a request's first byte to its last header: slower gets 408 (slow-loris).
    headers_timeout: float = 10.0
    # The longest pause between two pieces of a request body: longer gets 408.
    body_timeout: float = 30.0
    # From a request's first byte to its last body byte, however it trickles: 408.
    request_timeout: float = 300.0
    # A connection with no request in progress (new, or kept alive) is closed after this.
    idle_timeout: float = 5.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServerLimits:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


DEFAULT_SERVER_LIMITS = ServerLimits()

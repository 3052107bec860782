"""Raw ASGI header helpers for the middleware that runs on every request."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Message, Scope


# These run on every request: they read and extend the raw ASGI header lists directly
# (names are lowercase bytes) rather than building Headers/MutableHeaders objects.
def request_header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def add_response_headers(message: Message, extra: Sequence[tuple[bytes, bytes]]) -> None:
    """Append ``extra`` to an ``http.response.start`` message, keeping headers it has."""
    headers = list(message.get("headers", ()))
    present = {key.lower() for key, _ in headers}
    headers.extend(item for item in extra if item[0] not in present)
    message["headers"] = headers

"""Response headers a layer hands to the request context instead of wrapping ``send``.

Each layer that adds response headers (security headers, CORS, the rate limit) used to
wrap ``send`` in a closure of its own: one more coroutine per response and per layer.
``RequestContextMiddleware`` (the fixed outer layer) now opens a list in the scope, and a
layer whose ``send`` is still the request context's own (no layer in between wrapped it,
so none in between can see the response head) appends what it would have added there.
The request context applies the list, innermost layer first, to the head as it leaves:
the same headers, in the same order, as the chain of wrappers produced. A layer that
finds any other ``send`` (a user's middleware wrapped it) wraps ``send`` as before.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from starlette.types import Scope, Send

RawHeaders = Sequence[tuple[bytes, bytes]]

SEND_KEY = "sentinel.send"
PENDING_KEY = "sentinel.response_headers"

APPEND = 0  # added as they are (RateLimit headers)
IF_ABSENT = 1  # added unless the response has the name already (security headers)
REPLACE = 2  # the response's own values of ``names`` dropped, then added (CORS)

Pending = list[tuple[int, RawHeaders, Collection[bytes]]]


def open_pending(scope: Scope, send: Send) -> Pending:
    """Called by the request context for each http request: ``send`` is the one it
    gives the layers inside, and the one that applies the list."""
    pending: Pending = []
    scope[SEND_KEY] = send
    scope[PENDING_KEY] = pending
    return pending


def defer(
    scope: Scope, send: Send, mode: int, items: RawHeaders, names: Collection[bytes] = ()
) -> bool:
    """Queue ``items`` for the response head; False when ``send`` was wrapped since the
    request context (the caller must then wrap ``send`` itself)."""
    if scope.get(SEND_KEY) is not send:
        return False
    scope[PENDING_KEY].append((mode, items, names))
    return True


def apply_pending(headers: list[tuple[bytes, bytes]], pending: Pending) -> None:
    """Apply what the layers queued to ``headers`` (a copy the caller owns), innermost
    layer first, as their wrappers of ``send`` would have, from the inside out."""
    for mode, items, names in reversed(pending):
        if mode == APPEND:
            headers.extend(items)
        elif mode == IF_ABSENT:
            present = {key.lower() for key, _ in headers}
            headers.extend(item for item in items if item[0] not in present)
        else:
            headers[:] = [h for h in headers if h[0] not in names]
            headers.extend(items)


def mark(scope: Scope) -> int:
    """How many entries are queued: a layer that answers an error raised from inside
    ``rewind``s to it, since the layers inside never saw that answer."""
    pending: Pending | None = scope.get(PENDING_KEY)
    return 0 if pending is None else len(pending)


def rewind(scope: Scope, to: int) -> None:
    pending: Pending | None = scope.get(PENDING_KEY)
    if pending is not None:
        del pending[to:]

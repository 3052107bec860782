"""Serving the app with uvicorn under ``app.server.limits``.

uvicorn's HTTP protocols bound neither the size of a request head (httptools has no
limit at all; h11 has ``h11_max_incomplete_event_size``) nor the time a client may take
to send it or its body: a new connection that never sends a byte, a head dribbled one
byte a second (slow-loris), a body that stalls, all hold a connection for as long as the
client likes. ``protocol.GuardedHttpToolsProtocol`` (uvicorn's httptools protocol plus
limits and timers) closes that gap and answers what it refuses with the JSON error of
RUNTIME.md, security headers included.

``sentinel start`` and ``sentinel dev`` pass ``uvicorn_options(limits, headers)``: the
protocol class by import path, ``timeout_keep_alive`` from ``idleTimeout``, the websocket
heartbeat (``realtime.settings.Heartbeat``: ``REALTIME_PING_INTERVAL``/``_TIMEOUT``), and the
limits themselves through ``SENTINEL_SERVING`` in the environment (uvicorn's worker
processes are spawned, so a class attribute set in the parent would not reach them).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from sentinel_spec.contract.server import ServerLimits

SERVING_ENV = "SENTINEL_SERVING"
PROTOCOL = "sentinel_spec.runtime.serving.protocol:GuardedHttpToolsProtocol"


def serving_settings(limits: ServerLimits, security_headers: Sequence[tuple[str, str]] = ()) -> str:
    """The ``SENTINEL_SERVING`` value: limits and the headers protocol errors carry."""
    return json.dumps({"limits": limits.to_json(), "headers": [list(h) for h in security_headers]})


def read_serving_settings(
    environ: Mapping[str, str] | None = None,
) -> tuple[ServerLimits, list[tuple[bytes, bytes]]]:
    raw = (os.environ if environ is None else environ).get(SERVING_ENV, "")
    if not raw:
        from sentinel_spec.runtime.middleware.security_headers import security_header_items

        return ServerLimits(), security_header_items()
    data: dict[str, Any] = json.loads(raw)
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in data.get("headers", [])
    ]
    return ServerLimits.from_json(data.get("limits", {})), headers


def uvicorn_options(
    limits: ServerLimits, security_headers: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``; sets ``SENTINEL_SERVING``
    in this process's environment so worker processes inherit it."""
    from sentinel_spec.runtime.realtime.settings import Heartbeat

    os.environ[SERVING_ENV] = serving_settings(limits, security_headers)
    return {
        # Protocol pings on every websocket, the same heartbeat as Socket.IO's.
        **Heartbeat.from_env(os.environ).uvicorn_options(),
        "http": PROTOCOL,
        # uvicorn closes kept-alive connections after this; the guard closes new ones.
        "timeout_keep_alive": max(1, math.ceil(limits.idle_timeout)),
        # Only used if someone swaps in h11: the same bound on a request head.
        "h11_max_incomplete_event_size": limits.max_url_bytes + limits.max_header_bytes,
    }


def security_headers_for(overrides: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """The security headers (default set, the spec's overrides applied) as text pairs."""
    from sentinel_spec.runtime.middleware.security_headers import security_header_items

    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in security_header_items(overrides)]

"""Realtime's limits and knobs, from the environment (documented in docs/realtime.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sentinel_spec.runtime.env_numbers import env_seconds


class RealtimeConfigError(ValueError):
    """A REALTIME_* variable is malformed; the message names it."""


@dataclass(frozen=True)
class RealtimeSettings:
    # A socket's send queue: past either bound the socket is closed (1013), never waited on.
    queue_messages: int = 1000
    queue_bytes: int = 4 << 20
    # Replay: how long and how many messages are kept, how many one resume sends, and
    # how far before the named id it looks for late committers.
    replay_ttl_seconds: float = 15 * 60
    replay_max_rows: int = 100_000
    replay_limit: int = 1000
    replay_overlap_seconds: float = 2.0
    prune_every_seconds: float = 60.0
    # How long a socket being dropped gets to take its close frame before it is cut.
    close_timeout_seconds: float = 1.0
    # Redis keys and channels are prefixed, so apps can share one Redis.
    redis_prefix: str = "sentinel:"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], app_name: str = "") -> RealtimeSettings:
        default = cls()
        prefix = environ.get("REALTIME_REDIS_PREFIX", "").strip() or (
            f"sentinel:{app_name}:" if app_name else default.redis_prefix
        )
        return cls(
            queue_messages=_int(environ, "REALTIME_QUEUE_MESSAGES", default.queue_messages),
            queue_bytes=_int(environ, "REALTIME_QUEUE_BYTES", default.queue_bytes),
            replay_ttl_seconds=_num(environ, "REALTIME_REPLAY_TTL", default.replay_ttl_seconds),
            replay_max_rows=_int(environ, "REALTIME_REPLAY_MAX_ROWS", default.replay_max_rows),
            replay_limit=_int(environ, "REALTIME_REPLAY_LIMIT", default.replay_limit),
            replay_overlap_seconds=_num(
                environ, "REALTIME_REPLAY_OVERLAP", default.replay_overlap_seconds
            ),
            prune_every_seconds=_num(environ, "REALTIME_PRUNE_EVERY", default.prune_every_seconds),
            redis_prefix=prefix,
        )


@dataclass(frozen=True)
class Heartbeat:
    """How uvicorn serves native websockets (``uvicorn_options``, which ``sentinel start``
    and ``sentinel dev`` pass on).

    The heartbeat: how often the server pings every socket, and how long an answer may
    take before the socket is closed: uvicorn's ``ws_ping_interval``/``ws_ping_timeout``
    for native websockets and python-socketio's ``ping_interval``/``ping_timeout``
    (Socket.IO's own defaults, 25 s and 20 s), so both kinds of socket die after the
    same silence.

    ``compression`` (``REALTIME_COMPRESSION``, off by default): permessage-deflate. Every
    browser offers it, and with it each socket keeps its own zlib streams (about 40 KiB
    per socket, idle or not) and compresses every frame separately, the largest part of
    a fan-out's CPU for small messages. Off, as in Node's ``ws`` and Engine.IO; turn it
    on for large messages over slow links.
    """

    interval_seconds: float = 25.0
    timeout_seconds: float = 20.0
    compression: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Heartbeat:
        default = cls()
        interval = _num(environ, "REALTIME_PING_INTERVAL", default.interval_seconds)
        timeout = _num(environ, "REALTIME_PING_TIMEOUT", default.timeout_seconds)
        if interval <= 0 or timeout <= 0:
            raise RealtimeConfigError(
                "REALTIME_PING_INTERVAL and REALTIME_PING_TIMEOUT must be > 0"
            )
        compression = _flag(environ, "REALTIME_COMPRESSION", default.compression)
        return cls(interval, timeout, compression)

    def uvicorn_options(self) -> dict[str, Any]:
        return {
            "ws_ping_interval": self.interval_seconds,
            "ws_ping_timeout": self.timeout_seconds,
            "ws_per_message_deflate": self.compression,
        }


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise RealtimeConfigError(f"{name} must be 1 or 0 (true/false), got {raw!r}")


def _num(environ: Mapping[str, str], name: str, default: float) -> float:
    return env_seconds(environ, name, default, error=RealtimeConfigError)


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RealtimeConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise RealtimeConfigError(f"{name} must be positive, got {raw!r}")
    return value

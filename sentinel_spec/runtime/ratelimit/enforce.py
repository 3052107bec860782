"""Turning a ``RateLimitResult`` into HTTP: 429 ``rate_limited`` and the IETF headers.

Headers follow draft-ietf-httpapi-ratelimit-headers (-09/-10): every response of a
limited route carries ``RateLimit-Policy: "<name>";q=<limit>;w=<window s>`` and
``RateLimit: "<name>";r=<remaining>;t=<seconds to reset>``; a refused call answers 429
with ``Retry-After`` (whole seconds, at least 1). Several limits on one route (the
server default and the operation's own) each add their own pair; HTTP joins repeated
header lines into one list, which is the draft's syntax for several policies.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from sentinel_spec.contract.declarations import RateLimit
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.state import RateLimiter, RateLimitResult

RawHeaders = list[tuple[bytes, bytes]]


class RateLimited(HttpError):
    """429 ``rate_limited``; ``details`` says which limit and when to retry."""

    def __init__(self, name: str, result: RateLimitResult, headers: dict[str, str]) -> None:
        retry_after = retry_after_seconds(result)
        super().__init__(
            429,
            f"Too many requests: limit {name!r} allows {result.limit}; retry in {retry_after} s",
            {"limit": name, "retryAfter": retry_after},
            headers={**headers, "Retry-After": str(retry_after)},
        )
        self.result = result


class RateLimiterUnavailable(HttpError):
    """503: the shared storage is down and the app said ``failOpen: false``."""

    def __init__(self, name: str, result: RateLimitResult) -> None:
        retry_after = retry_after_seconds(result)
        super().__init__(
            503,
            "Rate limiting is unavailable; try again shortly",
            {"limit": name},
            headers={"Retry-After": str(retry_after)},
        )


def retry_after_seconds(result: RateLimitResult) -> int:
    return max(1, math.ceil(result.reset_after))


@functools.lru_cache(maxsize=1024)  # a limit's name: a handful per app, asked per request
def _sf_string(name: str) -> str:
    # An RFC 8941 string: printable ASCII, with \ and " escaped.
    clean = "".join(c for c in name if 0x20 <= ord(c) < 0x7F)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The limit's name as an RFC 8941 string, made once per name (every request has one).
_sf_name = functools.lru_cache(maxsize=1024)(_sf_string)


@functools.lru_cache(maxsize=1024)
def _policy(name: str, limit: int, per_seconds: int) -> str:
    return f"{_sf_string(name)};q={limit};w={per_seconds}"


def rate_limit_headers(name: str, rule: RateLimit, result: RateLimitResult) -> dict[str, str]:
    return {
        "RateLimit-Policy": _policy(name, rule.limit, rule.per_seconds),
        "RateLimit": f"{_sf_string(name)};r={result.remaining};t={math.ceil(result.reset_after)}",
    }


def raw(headers: dict[str, str]) -> RawHeaders:
    return [(_raw_name(k), v.encode("latin-1")) for k, v in headers.items()]


@functools.lru_cache(maxsize=64)
def _raw_name(name: str) -> bytes:
    return name.lower().encode("latin-1")


async def enforce(
    limiter: RateLimiter, name: str, rule: RateLimit, key: str, cost: int = 1
) -> dict[str, str]:
    """Count a call of ``key`` against the limit ``name``; the RateLimit headers to send,
    or raise 429 (or 503 when the storage is down and the app fails closed)."""
    return outcome(name, rule, await limiter.hit(rule, f"{name}:{key}", cost))


def enforce_in_process(
    limiter: RateLimiter, name: str, rule: RateLimit, key: str
) -> dict[str, str] | None:
    """``enforce`` without awaiting, for a limiter that counts in process memory
    (``hit_in_process``); None when it cannot (shared storage): await ``enforce`` then."""
    hit_now = getattr(limiter, "hit_in_process", None)
    result = hit_now(rule, f"{name}:{key}") if hit_now is not None else None
    return None if result is None else outcome(name, rule, result)


def enforce_in_process_raw(
    limiter: RateLimiter, name: str, rule: RateLimit, key: str
) -> RawHeaders | None:
    """``enforce_in_process`` with its headers as raw ASGI pairs, made directly (the
    server-wide limit counts every request; the fused stack adds them as they are)."""
    hit_now = getattr(limiter, "hit_in_process", None)
    result = hit_now(rule, f"{name}:{key}") if hit_now is not None else None
    if result is None:
        return None
    if result.degraded or not result.allowed:
        return raw(outcome(name, rule, result))  # raises the 429 (or 503)
    remaining = f"{_sf_name(name)};r={result.remaining};t={math.ceil(result.reset_after)}"
    return [_raw_policy(name, rule.limit, rule.per_seconds), (b"ratelimit", remaining.encode())]


@functools.lru_cache(maxsize=1024)
def _raw_policy(name: str, limit: int, per_seconds: int) -> tuple[bytes, bytes]:
    return (b"ratelimit-policy", _policy(name, limit, per_seconds).encode())


async def check_call(
    state: Any,
    name: str,
    rule: RateLimit | None,
    conn: Any,
    user: Any,
    workspace_id: str | None = None,
) -> dict[str, str]:
    """A declaration's own ``rateLimit`` for one HTTP call (``state``: the RuntimeState)."""
    limiter = state.services.rate_limiter
    if rule is None or limiter is None:
        return {}
    from sentinel_spec.runtime.ratelimit.keys import key_for

    key = key_for(rule, conn=conn, user=user, workspace_id=workspace_id)
    return await enforce(limiter, name, rule, key)


def outcome(name: str, rule: RateLimit, result: RateLimitResult) -> dict[str, str]:
    """The headers of an allowed call; raises the 429 (or fail-closed 503) otherwise.

    A degraded fail-open pass adds no headers: the budget is unknown while storage is down.
    """
    if result.degraded:
        if result.allowed:
            return {}
        raise RateLimiterUnavailable(name, result)
    headers = rate_limit_headers(name, rule, result)
    if not result.allowed:
        raise RateLimited(name, result, headers)
    return headers

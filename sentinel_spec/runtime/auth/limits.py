"""Brute-force limits of the auth routes, through the app's ``RateLimiter``.

Every login attempt counts against two budgets: the account (the normalised address,
hashed, so Redis holds no addresses) and the client IP. The key depends only on what
the client sent, so an unknown address is limited exactly like a known one, and the
429 is the same. Attempts are counted before the password is checked, so a blocked
client cannot learn whether its guess was right; successful logins count too, which
keeps the rate limiter to its one ``hit`` operation (a person signing in normally
never comes near the budget). Docs: docs/auth.md, "Brute force".

``MemoryRateLimiter`` is a minimal in-process implementation of the same Protocol, used
while the app has no rate limiter service, and whenever the shared one reports itself
degraded (Redis down): brute-force limits never fail open.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sentinel_spec.runtime.auth.config import Rule
from sentinel_spec.runtime.errors import HttpError


@dataclass(frozen=True)
class LimitRule:
    """The shape of the runtime's ``RateLimit`` declaration that a limiter reads."""

    limit: int
    per_seconds: int
    by: str = "ip"


@dataclass(frozen=True)
class HitResult:
    allowed: bool
    limit: int
    remaining: int
    reset_after: float


class RateLimiterLike(Protocol):
    async def hit(self, rule: Any, key: str) -> Any: ...


class MemoryRateLimiter:
    """A moving window per key, in this process only; bounded memory per key."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._monotonic = monotonic

    async def hit(self, rule: Any, key: str) -> HitResult:
        now = self._monotonic()
        window = self._hits.setdefault(f"{rule.limit}/{rule.per_seconds}:{key}", deque())
        while window and window[0] <= now - rule.per_seconds:
            window.popleft()
        if len(window) >= rule.limit:
            return HitResult(False, rule.limit, 0, window[0] + rule.per_seconds - now)
        window.append(now)
        if len(self._hits) > 100_000:  # drop idle keys now and then
            self._hits = {k: w for k, w in self._hits.items() if w and w[-1] > now - 86400}
        return HitResult(True, rule.limit, rule.limit - len(window), 0.0)


def subject_key(kind: str, value: str) -> str:
    """A limiter key that holds no personal data: ``auth:<kind>:<sha256 prefix>``."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"auth:{kind}:{digest}"


class Guard:
    """``await guard.hit(rule, kind, value)`` raises the 429 when the budget is spent."""

    def __init__(self, limiter: Callable[[], RateLimiterLike | None]) -> None:
        self._limiter = limiter
        self._fallback = MemoryRateLimiter()

    async def hit(self, rule: Rule, kind: str, value: str) -> None:
        limit_rule = LimitRule(rule.limit, rule.per_seconds)
        key = subject_key(kind, value)
        limiter = self._limiter() or self._fallback
        result = await limiter.hit(limit_rule, key)
        if getattr(result, "degraded", False):
            # The shared storage (Redis) is down and the app's limiter fails open: login
            # limits do not, they fall back to this process's own counters.
            result = await self._fallback.hit(limit_rule, key)
        if not result.allowed:
            retry = max(1, math.ceil(result.reset_after))
            raise HttpError(
                429,
                "Too many attempts; try again later",
                {"retryAfter": retry},
                headers={"Retry-After": str(retry)},
            )

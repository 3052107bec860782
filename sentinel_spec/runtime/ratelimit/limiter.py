"""``LimitsRateLimiter``: the RateLimiter of the runtime, on the ``limits`` library.

Strategy: the *sliding window counter* (``limits``' ``SlidingWindowCounterRateLimiter``).
It keeps two counters per key (this window and the previous one) and weighs the previous
one by how much of it still overlaps the sliding window, so there is no burst of twice the
limit at a window boundary (the fixed window's flaw) while each key costs O(1) memory and
one atomic Lua script per hit in Redis. The moving window is exact but stores one
timestamp per hit (300 entries for "300/minute", per client) and scans them on each hit.

Storage: ``memory://`` (per process; the default) or a Redis URL (``redis://``,
``rediss://``, ``redis+unix://``), shared by every instance that names the same server.
When Redis cannot be reached the limiter fails open (the request passes) or, with
``failOpen: false``, closed (503); it logs one warning when an outage starts and one line
when it ends, and while Redis is down it asks again at most once per ``retry_interval``
so requests do not each wait on a dead server.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError

from sentinel_spec.contract.declarations import RateLimit
from sentinel_spec.runtime.ratelimit.keys import DEFAULT_KEY_PREFIX
from sentinel_spec.runtime.ratelimit.memory import MemoryWindows, window_stats
from sentinel_spec.runtime.state import RateLimitResult

log = logging.getLogger("sentinel.ratelimit")

REDIS_SCHEMES = ("redis", "rediss", "redis+unix", "unix")


class RateLimitConfigError(ValueError):
    """``rateLimit.storage`` is neither ``memory://`` nor a Redis URL."""


def redact(url: str) -> str:
    """``redis://:secret@host:6379/0`` -> ``redis://***@host:6379/0`` for log lines."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def make_storage(url: str, *, key_prefix: str, timeout: float) -> Storage:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("memory", "async+memory"):
        return MemoryStorage()
    if scheme in REDIS_SCHEMES:
        return RedisStorage(
            f"async+{url}",
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix=key_prefix,
            # A Redis that hangs must not hang requests: fail fast, then fail open/closed.
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
    raise RateLimitConfigError(
        f"rateLimit.storage must be memory:// or a redis:// URL, got {redact(url)!r}"
    )


class LimitsRateLimiter:
    """``hit(rule, key)`` for every limit of the app; one instance per app."""

    def __init__(
        self,
        storage: str = "memory://",
        *,
        fail_open: bool = True,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        retry_interval: float = 1.0,
        timeout: float = 0.25,
    ) -> None:
        self.url = storage.strip() or "memory://"
        self.shared = not self.url.startswith("memory")
        self.fail_open = fail_open
        self.retry_interval = retry_interval
        self.storage = make_storage(self.url, key_prefix=key_prefix, timeout=timeout)
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)
        # memory://: counted in a plain dict, without the async storage's awaits.
        self.memory = None if self.shared else MemoryWindows()
        self._items: dict[tuple[int, int], RateLimitItem] = {}
        self._down_since: float | None = None
        self._next_try = 0.0
        # Storage errors of the Redis client itself (not wrapped by limits) are outages too.
        self._errors: tuple[type[BaseException], ...] = (StorageError, OSError, TimeoutError)
        if self.shared:
            import redis.exceptions

            self._errors += (redis.exceptions.RedisError,)

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def _item(self, rule: RateLimit) -> RateLimitItem:
        key = (rule.limit, rule.per_seconds)
        item = self._items.get(key)
        if item is None:
            item = self._items[key] = RateLimitItemPerSecond(rule.limit, rule.per_seconds)
        return item

    async def hit(self, rule: RateLimit, key: str, cost: int = 1) -> RateLimitResult:
        """Count one call (``cost`` calls) of ``key`` against ``rule``."""
        if not self.shared:
            return await self._hit_memory(rule, key, cost)
        if self._down_since is not None and time.monotonic() < self._next_try:
            return self._degraded(rule)
        item = self._item(rule)
        try:
            allowed = await self.strategy.hit(item, key, cost=cost)
            window = await self.storage.get_sliding_window(  # type: ignore[attr-defined]
                item.key_for(key), rule.per_seconds
            )
        except self._errors as error:
            self._outage(error)
            return self._degraded(rule)
        if self._down_since is not None:
            self._recovered()
        remaining, reset_after = window_stats(rule.limit, rule.per_seconds, *window)
        return RateLimitResult(allowed, rule.limit, remaining, reset_after)

    def hit_in_process(self, rule: RateLimit, key: str, cost: int = 1) -> RateLimitResult | None:
        """``hit`` without a coroutine when the counters are in this process's memory;
        None when they are shared (Redis): then ``hit`` must be awaited."""
        if self.shared:
            return None
        assert self.memory is not None
        return self.memory.hit(f"{key}/{rule.limit}", rule.limit, rule.per_seconds, cost)

    async def _hit_memory(self, rule: RateLimit, key: str, cost: int) -> RateLimitResult:
        """The same sliding window counter as limits' MemoryStorage (``memory.py``); no
        await, so reading and counting are one step for the event loop."""
        assert self.memory is not None
        return self.memory.hit(f"{key}/{rule.limit}", rule.limit, rule.per_seconds, cost)

    async def check(self) -> bool:
        """True when the storage answers (the health check); memory always does."""
        if not self.shared:
            return True
        try:
            return bool(await self.storage.check())
        except self._errors:
            return False

    async def close(self) -> None:
        """Close the Redis connection pool (the app's shutdown)."""
        client = getattr(getattr(self.storage, "bridge", None), "storage", None)
        if client is not None and hasattr(client, "aclose"):
            await client.aclose()

    async def reset(self) -> None:
        """Forget every counter (tests, an operator's "unblock everyone")."""
        if self.memory is not None:
            self.memory.clear()
        await self.storage.reset()

    def _degraded(self, rule: RateLimit) -> RateLimitResult:
        if self.fail_open:
            return RateLimitResult(True, rule.limit, rule.limit, 0.0, degraded=True)
        return RateLimitResult(False, rule.limit, 0, self.retry_interval, degraded=True)

    def _outage(self, error: BaseException) -> None:
        now = time.monotonic()
        self._next_try = now + self.retry_interval
        if self._down_since is not None:
            return
        self._down_since = now
        cause: Any = getattr(error, "storage_error", None) or error
        what = "requests pass unlimited" if self.fail_open else "limited requests get 503"
        log.warning(
            "rate limiting: storage %s is unreachable (%s: %s); %s until it is back",
            redact(self.url),
            type(cause).__name__,
            str(cause)[:200],
            what,
            extra={"event.action": "rate-limit-storage-down"},
        )

    def _recovered(self) -> None:
        assert self._down_since is not None
        outage = time.monotonic() - self._down_since
        self._down_since = None
        log.info(
            "rate limiting: storage %s is back after %.1f s; limits apply again",
            redact(self.url),
            outage,
            extra={"event.action": "rate-limit-storage-up"},
        )

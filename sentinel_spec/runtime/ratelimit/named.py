"""Named limits user code counts: ``await context.rate_limit("memberInvite")``.

``app.server.rateLimit.named`` declares them (``{ memberInvite: { limit: "20/hour", by:
workspace } }``). Each call counts against the limit, keyed as its ``by`` says (or by
``key=``), and raises ``RateLimited`` (an ``HttpError`` 429 with ``Retry-After`` and the
RateLimit headers) once the budget is spent, so an operation answers 429 with no more code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sentinel_spec.contract.declarations import RateLimit
from sentinel_spec.runtime.ratelimit.enforce import enforce
from sentinel_spec.runtime.ratelimit.keys import key_for
from sentinel_spec.runtime.state import RateLimiter


class UnknownRateLimit(LookupError):
    """A name ``app.server.rateLimit.named`` does not declare (a programming error)."""


def named_rule(named: Mapping[str, RateLimit], name: str) -> RateLimit:
    try:
        return named[name]
    except KeyError:
        declared = ", ".join(sorted(named)) or "none"
        raise UnknownRateLimit(
            f"no named rate limit {name!r}: declare it in app.server.rateLimit.named "
            f"(declared: {declared})"
        ) from None


async def count_named(
    limiter: RateLimiter | None,
    named: Mapping[str, RateLimit],
    name: str,
    *,
    conn: Any,
    user: Any,
    key: str | None = None,
    cost: int = 1,
) -> None:
    """Count ``cost`` calls against the named limit ``name``; raise 429 when over it."""
    rule = named_rule(named, name)
    if limiter is None:  # only when the app was built without its declarations
        raise RuntimeError("rate limiting is not installed in this app")
    key = key_for(rule, conn=conn, user=user) if key is None else f"{rule.by}:{str(key)[:128]}"
    await enforce(limiter, name, rule, key, cost)

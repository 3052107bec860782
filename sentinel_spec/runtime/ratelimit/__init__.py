"""Rate limits: ``app.server.rateLimit`` and the ``rateLimit`` of operations and apis.

- ``limiter``: ``LimitsRateLimiter``, the ``RateLimiter`` (``runtime/state.py``) on the
  ``limits`` library: memory or Redis storage, fail-open/closed, one warning per outage
- ``enforce``: a result as HTTP (429 ``rate_limited``, ``Retry-After``, IETF headers)
- ``keys``: what ``by: ip | user | workspace`` counts under
- ``middleware``: ``rateLimit.default``, the ``rateLimit`` entry of the named stack
- ``named``: ``await context.rate_limit("memberInvite")`` for user code

``install`` fills ``builder.services.rate_limiter`` when the spec declares any limit (the
default, one on an operation or api, or a named one) or ``app.auth`` (whose login limits
use it), and adds the ``rateLimit`` middleware after ``cors`` when there is a default.
Cheap to import: ``limits`` and ``redis`` load in ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl
    from sentinel_spec.runtime.state import AppBuilder


def declares_limits(decl: AppDecl) -> bool:
    return (
        decl.default_rate_limit is not None
        or bool(decl.named_rate_limits)
        or any(op.rate_limit is not None for op in decl.operations)
        or any(api.rate_limit is not None for api in decl.apis)
    )


def install(builder: AppBuilder) -> None:
    decl = builder.decl
    # Auth's login limits count through the same limiter (shared over Redis when the
    # storage is Redis), so an app with auth gets one even without limits of its own.
    if not declares_limits(decl) and decl.auth is None:
        return
    from starlette.middleware import Middleware

    from sentinel_spec.runtime.ratelimit.keys import key_prefix
    from sentinel_spec.runtime.ratelimit.limiter import LimitsRateLimiter, RateLimitConfigError
    from sentinel_spec.runtime.settings import SettingsError

    settings = builder.settings
    storage = str(settings.resolve(decl.rate_limit_storage) or "memory://")
    try:
        limiter = LimitsRateLimiter(
            storage,
            fail_open=decl.rate_limit_fail_open,
            key_prefix=key_prefix(decl.name, settings.environ),
        )
    except RateLimitConfigError as error:
        raise SettingsError([f"app.server.rateLimit.storage: {error}"]) from None
    builder.services.rate_limiter = limiter
    builder.on_shutdown(limiter.close)
    if limiter.shared:
        builder.add_health_check("redis", limiter.check, critical=False)
    if decl.default_rate_limit is not None:
        from sentinel_spec.runtime.ratelimit.middleware import RateLimitMiddleware

        builder.add_middleware(
            "rateLimit",
            Middleware(RateLimitMiddleware, limiter=limiter, rule=decl.default_rate_limit),
            after="cors",
        )

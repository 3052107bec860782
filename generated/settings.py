# Generated from app.sq by sentinel; do not edit.
"""Every env(...) of app.sq, resolved and checked together when the server starts."""

from __future__ import annotations

from sentinel_spec.contract.declarations import Env

ENV: tuple[Env, ...] = (
    # used at app.server.cors_origins_by_env.production
    Env(
        "CORS_ORIGINS",
        "https://app.sentineliq.dev",
        required=False,
        where="app.server.cors_origins_by_env.production",
    ),
    # used at app.server.rate_limit.storage
    Env("REDIS_URL", "memory://", required=False, where="app.server.rate_limit.storage"),
    # used at app.server.sentry.dsn
    Env("SENTRY_DSN", "", required=False, where="app.server.sentry.dsn"),
    # used at app.server.sentry.environment
    Env("SENTRY_ENVIRONMENT", "", required=False, where="app.server.sentry.environment"),
    # used at app.server.sentry.release
    Env("SENTRY_RELEASE", "", required=False, where="app.server.sentry.release"),
    # used at app.server.trusted_proxies
    Env("TRUSTED_PROXIES", "127.0.0.1,::1", required=False, where="app.server.trusted_proxies"),
)

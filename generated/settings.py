# Generated from app.sq by sentinel; do not edit.
"""Every env(...) of app.sq, resolved and checked together when the server starts."""

from __future__ import annotations

from sentinel_spec.contract.declarations import Env

ENV: tuple[Env, ...] = (
    # used at app.server.cors_origins
    Env("CORS_ORIGINS", "http://localhost:3000", required=False, where="app.server.cors_origins"),
    # used at app.server.rate_limit.storage
    Env("REDIS_URL", "memory://", required=False, where="app.server.rate_limit.storage"),
    # used at app.server.sentry.dsn
    Env("SENTRY_DSN", "", required=False, where="app.server.sentry.dsn"),
)

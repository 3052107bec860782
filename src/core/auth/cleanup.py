"""Clean-up of the framework's token tables (docs/auth.md, Tables: "a periodic clean-up
job is left to the app"): refresh tokens and one-time tokens a week past their expiry.
The week keeps recent history for investigations; an expired token opens nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

GRACE = dt.timedelta(days=7)


async def cleanup_expired_refresh_tokens(args: Any, context: Any) -> dict[str, int]:
    from generated.models import AUTH_TABLES

    cutoff = dt.datetime.now(dt.UTC) - GRACE
    refresh, one_time = AUTH_TABLES.refresh_tokens, AUTH_TABLES.one_time_tokens
    tokens = await context.session.execute(refresh.delete().where(refresh.c.expires_at < cutoff))
    once = await context.session.execute(one_time.delete().where(one_time.c.expires_at < cutoff))
    return {"refreshTokens": tokens.rowcount or 0, "oneTimeTokens": once.rowcount or 0}

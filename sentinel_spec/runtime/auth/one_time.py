"""Single-use, expiring tokens: email verification, password reset, the pending second
step of a login that needs a 2FA code.

Stored as digests. Consuming is one ``UPDATE ... WHERE used_at IS NULL AND expires_at
> now RETURNING``, so a token works once even under concurrent use. Issuing a token
retires the user's earlier unused tokens of the same purpose: only the newest mail's
link works.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.runtime.auth.clock import Clock, utc_now
from sentinel_spec.runtime.auth.tables import AuthTables
from sentinel_spec.runtime.auth.tokens import new_token, plausible_token, token_digest

VERIFY_EMAIL: Final = "verify-email"
RESET_PASSWORD: Final = "reset-password"
TWO_FACTOR_LOGIN: Final = "2fa-login"

# How long each kind lives (docs/auth.md, "Tokens").
LIFETIMES: Final = {
    VERIFY_EMAIL: 24 * 3600,
    RESET_PASSWORD: 3600,
    TWO_FACTOR_LOGIN: 5 * 60,
}


class OneTimeTokens:
    def __init__(self, tables: AuthTables, clock: Clock = utc_now) -> None:
        self.tables = tables
        self.clock = clock

    async def issue(
        self, db: AsyncSession, user_id: Any, purpose: str, ttl_seconds: int | None = None
    ) -> str:
        t = self.tables.one_time_tokens
        now = self.clock()
        await db.execute(
            sa.update(t)
            .where(t.c.user_id == user_id, t.c.purpose == purpose, t.c.used_at.is_(None))
            .values(used_at=now)
        )
        token = new_token()
        lifetime = LIFETIMES[purpose] if ttl_seconds is None else ttl_seconds
        await db.execute(
            sa.insert(t).values(
                id=str(uuid.uuid4()),
                token_digest=token_digest(token),
                user_id=user_id,
                purpose=purpose,
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime),
            )
        )
        return token

    async def consume(self, db: AsyncSession, token: str, purpose: str) -> Any | None:
        """The user the token was issued to, once; None when unknown, used or expired."""
        if not plausible_token(token):
            return None
        t = self.tables.one_time_tokens
        now = self.clock()
        row = (
            await db.execute(
                sa.update(t)
                .where(
                    t.c.token_digest == token_digest(token),
                    t.c.purpose == purpose,
                    t.c.used_at.is_(None),
                    t.c.expires_at > now,
                )
                .values(used_at=now)
                .returning(t.c.user_id)
            )
        ).first()
        return None if row is None else row.user_id

    async def peek(self, db: AsyncSession, token: str, purpose: str) -> Any | None:
        """The user of a live token without using it up (a page showing a form)."""
        if not plausible_token(token):
            return None
        t = self.tables.one_time_tokens
        row = (
            await db.execute(
                sa.select(t.c.user_id).where(
                    t.c.token_digest == token_digest(token),
                    t.c.purpose == purpose,
                    t.c.used_at.is_(None),
                    t.c.expires_at > self.clock(),
                )
            )
        ).first()
        return None if row is None else row.user_id

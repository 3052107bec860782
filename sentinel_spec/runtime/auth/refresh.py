"""Refresh tokens in families, with rotation and reuse detection.

Each login starts a family. With ``rotate`` (the default), using a refresh token
marks it used and issues the next token of the same family; presenting a used token
again means two parties hold it (one of them stole it), so the whole family is
revoked: every token of it and every session it created. The caller logs that as a
security event. Without ``rotate`` a token stays valid until it expires.

Rotation is strict: two concurrent refreshes with one token trip reuse detection
(docs/auth.md explains why there is no grace period).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.runtime.auth.clock import Clock, utc_now
from sentinel_spec.runtime.auth.tables import AuthTables
from sentinel_spec.runtime.auth.tokens import new_token, plausible_token, token_digest


@dataclass(frozen=True)
class Refreshed:
    """A good token: ``token`` is the one to hand back (new when rotating)."""

    user_id: Any
    family_id: str
    token: str
    rotated: bool


@dataclass(frozen=True)
class Reused:
    """A rotated token presented again: its family has been revoked."""

    user_id: Any
    family_id: str


class Invalid:
    """Unknown, expired or revoked."""


INVALID = Invalid()
RefreshOutcome = Refreshed | Reused | Invalid


class RefreshTokenStore:
    def __init__(
        self, tables: AuthTables, ttl_seconds: int, rotate: bool, clock: Clock = utc_now
    ) -> None:
        self.tables = tables
        self.ttl = timedelta(seconds=ttl_seconds)
        self.rotate = rotate
        self.clock = clock

    async def issue(
        self, db: AsyncSession, user_id: Any, family_id: str | None = None
    ) -> tuple[str, str]:
        """A new token (of ``family_id``, or of a new family); returns (token, family)."""
        family = family_id or str(uuid.uuid4())
        token = new_token()
        now = self.clock()
        await db.execute(
            sa.insert(self.tables.refresh_tokens).values(
                id=str(uuid.uuid4()),
                token_digest=token_digest(token),
                family_id=family,
                user_id=user_id,
                created_at=now,
                expires_at=now + self.ttl,
            )
        )
        return token, family

    async def use(self, db: AsyncSession, token: str) -> RefreshOutcome:
        if not plausible_token(token):
            return INVALID
        t = self.tables.refresh_tokens
        digest = token_digest(token)
        now = self.clock()
        live = sa.and_(
            t.c.token_digest == digest,
            t.c.used_at.is_(None),
            t.c.revoked_at.is_(None),
            t.c.expires_at > now,
        )
        if not self.rotate:
            row = (await db.execute(sa.select(t.c.user_id, t.c.family_id).where(live))).first()
            if row is None:
                return INVALID
            return Refreshed(row.user_id, row.family_id, token, rotated=False)

        # Marking it used is the claim: of two concurrent refreshes one updates the row,
        # the other finds it used, which is reuse.
        row = (
            await db.execute(
                sa.update(t).where(live).values(used_at=now).returning(t.c.user_id, t.c.family_id)
            )
        ).first()
        if row is not None:
            next_token, _ = await self.issue(db, row.user_id, row.family_id)
            return Refreshed(row.user_id, row.family_id, next_token, rotated=True)

        seen = (
            await db.execute(
                sa.select(t.c.user_id, t.c.family_id, t.c.used_at).where(t.c.token_digest == digest)
            )
        ).first()
        if seen is None or seen.used_at is None:
            return INVALID  # unknown, expired, or revoked without having been used
        await self.revoke_family(db, seen.family_id)
        return Reused(seen.user_id, seen.family_id)

    async def revoke_family(self, db: AsyncSession, family_id: str) -> None:
        t = self.tables.refresh_tokens
        await db.execute(
            sa.update(t)
            .where(t.c.family_id == family_id, t.c.revoked_at.is_(None))
            .values(revoked_at=self.clock())
        )

    async def revoke_user(self, db: AsyncSession, user_id: Any) -> None:
        t = self.tables.refresh_tokens
        await db.execute(
            sa.update(t)
            .where(t.c.user_id == user_id, t.c.revoked_at.is_(None))
            .values(revoked_at=self.clock())
        )

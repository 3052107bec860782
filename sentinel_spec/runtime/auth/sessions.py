"""Sessions: opaque random ids, stored as digests, with idle and absolute timeouts.

The client holds the session id (``sessionId`` from login: 256 random bits); the
table holds its SHA-256 digest and a separate public ``id`` that ``GET
/auth/sessions`` lists and ``DELETE /auth/sessions/<id>`` takes, so listing sessions
never reveals a usable token.

A session ends at the first of: ``expires_at`` (absolute timeout, fixed at creation),
``last_seen_at + idle`` (idle timeout), ``revoked_at``. ``last_seen_at`` is written at
most once per ``touch_every`` seconds, not on every request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.runtime.auth.clock import Clock, utc_now
from sentinel_spec.runtime.auth.tables import AuthTables
from sentinel_spec.runtime.auth.tokens import new_token, plausible_token, token_digest

USER_AGENT_LIMIT = 512
IP_LIMIT = 64


@dataclass(frozen=True)
class SessionTimeouts:
    idle_seconds: int = 30 * 60
    absolute_seconds: int = 12 * 3600

    @property
    def touch_every(self) -> float:
        """How stale ``last_seen_at`` may get before a request writes it (<= 1 min)."""
        return min(60.0, self.idle_seconds / 10)


@dataclass(frozen=True)
class SessionRecord:
    id: str
    user_id: Any
    family_id: str | None
    method: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    # ``last_seen_at`` as the database had it before this validation touched it: how
    # long the session had been idle (workspace timeouts read it; precise to a minute).
    seen_before: datetime | None = None

    def idle_seconds(self, now: datetime) -> float:
        return (now - (self.seen_before or self.last_seen_at)).total_seconds()

    def public(self, current_id: str | None = None) -> dict[str, Any]:
        """The ``GET /auth/sessions`` entry."""
        return {
            "id": self.id,
            "createdAt": self.created_at,
            "lastSeenAt": self.last_seen_at,
            "expiresAt": self.expires_at,
            "ip": self.ip,
            "userAgent": self.user_agent,
            "method": self.method,
            "current": self.id == current_id,
        }


def _record(row: Any) -> SessionRecord:
    return SessionRecord(
        id=row.id,
        user_id=row.user_id,
        family_id=row.family_id,
        method=row.method,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        ip=row.ip,
        user_agent=row.user_agent,
    )


class SessionStore:
    def __init__(self, tables: AuthTables, timeouts: SessionTimeouts, clock: Clock = utc_now):
        self.tables = tables
        self.timeouts = timeouts
        self.clock = clock
        t = tables.sessions
        self._columns = (
            t.c.id,
            t.c.user_id,
            t.c.family_id,
            t.c.method,
            t.c.created_at,
            t.c.last_seen_at,
            t.c.expires_at,
            t.c.ip,
            t.c.user_agent,
        )

    def _live(self, now: datetime, idle_seconds: int | None = None) -> sa.ColumnElement[bool]:
        t = self.tables.sessions
        idle = timedelta(seconds=idle_seconds or self.timeouts.idle_seconds)
        return sa.and_(
            t.c.revoked_at.is_(None), t.c.expires_at > now, t.c.last_seen_at > now - idle
        )

    async def create(
        self,
        db: AsyncSession,
        user_id: Any,
        *,
        method: str,
        ip: str | None,
        user_agent: str | None,
        family_id: str | None = None,
    ) -> tuple[str, SessionRecord]:
        """A new session; returns the id to give the client (never stored) and the row."""
        token = new_token()
        now = self.clock()
        record = SessionRecord(
            id=str(uuid.uuid4()),
            user_id=user_id,
            family_id=family_id,
            method=method,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=self.timeouts.absolute_seconds),
            ip=(ip or None) and ip[:IP_LIMIT],
            user_agent=(user_agent or None) and user_agent[:USER_AGENT_LIMIT],
        )
        await db.execute(
            sa.insert(self.tables.sessions).values(
                id=record.id,
                token_digest=token_digest(token),
                user_id=user_id,
                family_id=family_id,
                method=method,
                created_at=now,
                last_seen_at=now,
                expires_at=record.expires_at,
                ip=record.ip,
                user_agent=record.user_agent,
            )
        )
        return token, record

    async def validate(self, db: AsyncSession, token: str) -> SessionRecord | None:
        """The live session ``token`` names, or None; refreshes a stale ``last_seen_at``."""
        if not plausible_token(token):
            return None
        t = self.tables.sessions
        now = self.clock()
        row = (
            await db.execute(
                sa.select(*self._columns).where(
                    t.c.token_digest == token_digest(token), self._live(now)
                )
            )
        ).first()
        if row is None:
            return None
        return await self._touched(db, _record(row), now)

    async def validate_with_user(
        self, db: AsyncSession, token: str, user_model: type
    ) -> tuple[SessionRecord, Any] | None:
        """``validate`` and the session's user (an ORM instance) in one query."""
        if not plausible_token(token):
            return None
        t = self.tables.sessions
        now = self.clock()
        user_id: Any = next(iter(sa.inspect(user_model).primary_key))
        row = (
            await db.execute(
                sa.select(user_model, *self._columns)
                .join(t, t.c.user_id == user_id)
                .where(t.c.token_digest == token_digest(token), self._live(now))
            )
        ).first()
        if row is None:
            return None
        return await self._touched(db, _record(row), now), row[0]

    async def _touched(
        self, db: AsyncSession, record: SessionRecord, now: datetime
    ) -> SessionRecord:
        t = self.tables.sessions
        previous = record.last_seen_at
        if (now - previous).total_seconds() >= self.timeouts.touch_every:
            await db.execute(sa.update(t).where(t.c.id == record.id).values(last_seen_at=now))
            return replace(record, last_seen_at=now, seen_before=previous)
        return replace(record, seen_before=previous)

    async def list_live(self, db: AsyncSession, user_id: Any) -> list[SessionRecord]:
        t = self.tables.sessions
        rows = await db.execute(
            sa.select(*self._columns)
            .where(t.c.user_id == user_id, self._live(self.clock()))
            .order_by(t.c.created_at.desc())
        )
        return [_record(row) for row in rows]

    async def revoke(self, db: AsyncSession, user_id: Any, session_id: str) -> SessionRecord | None:
        """End the user's session ``session_id``; None when it is not theirs or not live."""
        t = self.tables.sessions
        now = self.clock()
        row = (
            await db.execute(
                sa.update(t)
                .where(t.c.id == session_id, t.c.user_id == user_id, t.c.revoked_at.is_(None))
                .values(revoked_at=now)
                .returning(*self._columns)
            )
        ).first()
        return None if row is None else _record(row)

    async def revoke_all(
        self, db: AsyncSession, user_id: Any, *, keep: str | None = None
    ) -> Sequence[str]:
        """End every session of the user (but ``keep``); returns the ids ended."""
        t = self.tables.sessions
        condition = sa.and_(t.c.user_id == user_id, t.c.revoked_at.is_(None))
        if keep is not None:
            condition = sa.and_(condition, t.c.id != keep)
        rows = await db.execute(
            sa.update(t).where(condition).values(revoked_at=self.clock()).returning(t.c.id)
        )
        return [row.id for row in rows]

    async def revoke_family(self, db: AsyncSession, family_id: str) -> Sequence[str]:
        """End the sessions a refresh-token family created; returns their ids."""
        t = self.tables.sessions
        rows = await db.execute(
            sa.update(t)
            .where(t.c.family_id == family_id, t.c.revoked_at.is_(None))
            .values(revoked_at=self.clock())
            .returning(t.c.id)
        )
        return [row.id for row in rows]

"""How users sign in: one ``auth_identities`` row per (provider, id at that provider).

An email identity's ``provider_user_id`` is the normalised address and it holds the
password hash; a Google identity's is the OpenID ``sub`` (stable, unlike the address).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.runtime.auth.hooks import ProviderId
from sentinel_spec.runtime.auth.tables import AuthTables

EMAIL = "email"
GOOGLE = "google"


class Identities:
    def __init__(self, tables: AuthTables) -> None:
        self.table = tables.identities

    async def find(self, db: AsyncSession, provider: str, provider_user_id: str) -> Any | None:
        t = self.table
        return (
            await db.execute(
                sa.select(t.c.id, t.c.user_id, t.c.password_hash, t.c.verified_at).where(
                    t.c.provider == provider, t.c.provider_user_id == provider_user_id
                )
            )
        ).first()

    async def of_user(self, db: AsyncSession, user_id: Any, provider: str) -> Any | None:
        t = self.table
        return (
            await db.execute(
                sa.select(t.c.id, t.c.provider_user_id, t.c.password_hash, t.c.verified_at).where(
                    t.c.user_id == user_id, t.c.provider == provider
                )
            )
        ).first()

    async def create(
        self,
        db: AsyncSession,
        user_id: Any,
        provider: str,
        provider_user_id: str,
        *,
        password_hash: str | None = None,
        verified_at: datetime | None = None,
    ) -> None:
        await db.execute(
            sa.insert(self.table).values(
                id=str(uuid.uuid4()),
                user_id=user_id,
                provider=provider,
                provider_user_id=provider_user_id,
                password_hash=password_hash,
                verified_at=verified_at,
            )
        )

    async def delete(self, db: AsyncSession, identity_id: str) -> None:
        await db.execute(sa.delete(self.table).where(self.table.c.id == identity_id))

    async def set_password(self, db: AsyncSession, identity_id: str, password_hash: str) -> None:
        t = self.table
        await db.execute(
            sa.update(t).where(t.c.id == identity_id).values(password_hash=password_hash)
        )

    async def mark_verified(self, db: AsyncSession, identity_id: str, now: datetime) -> None:
        t = self.table
        await db.execute(
            sa.update(t)
            .where(t.c.id == identity_id, t.c.verified_at.is_(None))
            .values(verified_at=now)
        )

    async def password_hash(self, db: AsyncSession, user_id: Any) -> str | None:
        row = await self.of_user(db, user_id, EMAIL)
        return None if row is None else row.password_hash

    async def primary(self, db: AsyncSession, user_id: Any) -> ProviderId:
        """The identity a pending (2FA) sign-in continues with: email first."""
        t = self.table
        rows = (
            await db.execute(
                sa.select(t.c.provider, t.c.provider_user_id)
                .where(t.c.user_id == user_id)
                .order_by(sa.case((t.c.provider == EMAIL, 0), else_=1), t.c.created_at)
            )
        ).all()
        if not rows:
            return ProviderId(EMAIL, "")
        return ProviderId(rows[0].provider, rows[0].provider_user_id)

    async def touch_login(self, db: AsyncSession, provider: ProviderId, now: datetime) -> None:
        t = self.table
        await db.execute(
            sa.update(t)
            .where(
                t.c.provider == provider.provider_name,
                t.c.provider_user_id == provider.provider_user_id,
            )
            .values(last_login_at=now)
        )

"""A fresh database holding a small users table and the auth tables beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from sentinel_spec.runtime.auth.tables import AuthTables, define_auth_tables


@dataclass
class AuthDb:
    engine: AsyncEngine
    tables: AuthTables

    def session(self) -> AsyncSession:
        return AsyncSession(self.engine, expire_on_commit=False)

    async def add_user(self, user_id: str, email: str | None = None) -> str:
        async with self.session() as db, db.begin():
            await db.execute(sa.insert(self.tables.user).values(id=user_id, email=email))
        return user_id


@pytest.fixture
async def auth_db(database_url: str) -> AsyncIterator[AuthDb]:
    metadata = sa.MetaData()
    users = sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("email", sa.String(), unique=True),
    )
    tables = define_auth_tables(metadata, users)
    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        yield AuthDb(engine, tables)
    finally:
        await engine.dispose()

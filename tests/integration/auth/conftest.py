"""Auth integration fixtures: the stores' small schema (``auth_db``) and the whole test
app served through its generated server (``auth_app``; see ``harness.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from sentinel_spec.runtime.auth.tables import AuthTables, define_auth_tables
from tests.integration.auth.harness import AuthApp, build_project, serve


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


@pytest.fixture(scope="session")
def auth_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("auth_project"))


@pytest.fixture
async def auth_app(auth_project: Path, database_url: str) -> AsyncIterator[AuthApp]:
    async with serve(auth_project, database_url) as app:
        yield app


@pytest.fixture
def serve_auth_app(auth_project: Path, database_url: str) -> Any:
    """``async with serve_auth_app(VAR="value") as app``: the test app with more settings."""

    def open_app(**environ: str) -> Any:
        return serve(auth_project, database_url, **environ)

    return open_app

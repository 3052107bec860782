"""Database: session scopes on a real PostgreSQL, timeouts, URL handling, env config."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import literal, select, text
from sqlalchemy.exc import DBAPIError

from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.db.urls import DatabaseConfigError, engine_url, normalize_url
from sentinel_spec.runtime.errors import ServiceUnavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
async def db(database_url: str) -> Database:
    database = Database(database_url, statement_timeout_ms=500)
    async with database.scope() as scope:
        await scope.session.execute(text("CREATE TABLE item (id int PRIMARY KEY, name text)"))
    yield database  # type: ignore[misc]
    await database.dispose()


async def _names(db: Database) -> list[str]:
    async with db.scope() as scope:
        rows = await scope.session.execute(text("SELECT name FROM item ORDER BY id"))
        return [r[0] for r in rows]


async def test_scope_commits_on_normal_exit(db: Database) -> None:
    async with db.scope() as scope:
        await scope.session.execute(text("INSERT INTO item VALUES (1, 'kept')"))
    assert await _names(db) == ["kept"]


async def test_scope_rolls_back_when_the_body_raises(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.scope() as scope:
            await scope.session.execute(text("INSERT INTO item VALUES (1, 'lost')"))
            raise RuntimeError("boom")
    assert await _names(db) == []


async def test_scope_without_session_access_opens_nothing(db: Database) -> None:
    async with db.scope() as scope:
        pass
    assert not scope.opened
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_statement_timeout_is_a_query_error_not_503(db: Database) -> None:
    with pytest.raises(DBAPIError, match="statement timeout"):
        async with db.scope() as scope:
            await scope.session.execute(text("SELECT pg_sleep(2)"))
    assert await db.ping()


async def test_ping_false_when_nothing_listens() -> None:
    db = Database("postgresql://postgres@127.0.0.1:1/none", connect_timeout_s=1)
    assert await db.ping() is False
    await db.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        (
            "postgresql://postgres:@/postgres?host=/tmp/x",
            "postgresql+psycopg://postgres:@/postgres?host=/tmp/x",
        ),
    ],
)
def test_urls_are_normalised_to_psycopg(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_other_drivers_are_refused_with_the_variable_named() -> None:
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL"):
        normalize_url("mysql://u@h/d")


def test_from_env_requires_database_url() -> None:
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL is not set"):
        Database.from_env({})


async def test_from_env_reads_pool_settings() -> None:
    db = Database.from_env(
        {"DATABASE_URL": "postgres://u@h/d", "DB_POOL_SIZE": "3", "DB_MAX_OVERFLOW": "1"}
    )
    assert db.engine.pool.size() == 3  # type: ignore[attr-defined]
    assert db.url.startswith("postgresql+psycopg://")
    await db.dispose()


def test_from_env_rejects_a_bad_number() -> None:
    with pytest.raises(DatabaseConfigError, match="DB_POOL_TIMEOUT"):
        Database.from_env({"DATABASE_URL": "postgres://u@h/d", "DB_POOL_TIMEOUT": "soon"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+asyncpg://u:p@h:5432/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+asyncpg://u@h/d"),
        # The embedded server's unix socket: a directory asyncpg reads as such.
        (
            "postgresql://postgres@/app?host=/tmp/x",
            "postgresql+asyncpg://postgres@/app?host=/tmp/x",
        ),
        ("postgresql://u@h/d?sslmode=require", "postgresql+asyncpg://u@h/d"),
        (
            "postgresql://u@h/d?prepared_statement_cache_size=0",
            "postgresql+asyncpg://u@h/d?prepared_statement_cache_size=0",
        ),
    ],
)
def test_the_app_engine_maps_libpq_urls_to_asyncpg(given: str, expected: str) -> None:
    target = engine_url(given)
    assert (target.driver, target.url) == ("asyncpg", expected)


def test_libpq_parameters_asyncpg_lacks_keep_psycopg() -> None:
    target = engine_url("postgresql://u@h/d?target_session_attrs=read-write")
    assert target.driver == "psycopg"
    assert target.url == "postgresql+psycopg://u@h/d?target_session_attrs=read-write"


def test_sslmode_and_application_name_become_asyncpg_arguments() -> None:
    target = engine_url("postgresql://u@h/d?sslmode=verify-full&application_name=web")
    assert target.connect_args == {"ssl": "verify-full"}
    assert target.server_settings == {"application_name": "web"}


async def test_db_driver_chooses_psycopg() -> None:
    db = Database.from_env({"DATABASE_URL": "postgres://u@h/d", "DB_DRIVER": "psycopg"})
    assert db.driver == "psycopg"
    assert db.engine.url.drivername == "postgresql+psycopg"
    await db.dispose()
    with pytest.raises(DatabaseConfigError, match="DB_DRIVER"):
        Database.from_env({"DATABASE_URL": "postgres://u@h/d", "DB_DRIVER": "mysqlclient"})


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
async def test_statement_timeout_is_set_on_the_server(database_url: str, driver: str) -> None:
    db = Database(database_url, statement_timeout_ms=1234, driver=driver)
    async with db.read_scope() as scope:
        assert await scope.session.scalar(text("SHOW statement_timeout")) == "1234ms"
    await db.dispose()


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
async def test_pgbouncer_mode_prepares_nothing_it_would_reuse(
    database_url: str, driver: str
) -> None:
    environ = {"DATABASE_URL": database_url, "DB_PGBOUNCER": "1", "DB_DRIVER": driver}
    db = Database.from_env(environ)
    async with db.scope() as scope:
        for _ in range(8):  # past psycopg's default prepare threshold (5)
            assert await scope.session.scalar(text("SELECT 1")) == 1
        connection = await scope.session.connection()
        raw = await connection.get_raw_connection()
        driver_connection: Any = raw.driver_connection
        if driver == "asyncpg":
            # asyncpg's own statement cache is off (PgBouncer may switch servers under it).
            assert driver_connection._stmt_cache.get_max_size() == 0
        else:
            assert driver_connection.prepare_threshold is None  # psycopg never prepares
    await db.dispose()


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
async def test_callers_waiting_for_the_pool_get_it_in_turn(database_url: str, driver: str) -> None:
    """One connection, five scopes asking for it one after the other while it is taken,
    and a sixth asking just as it comes back: each gets it in the order it asked
    (SQLAlchemy's own queue gave the returned connection to the newcomer)."""
    db = Database(database_url, pool_size=1, driver=driver)
    # Plain reads: no transaction, so the holder gives the connection back without
    # waiting on the server, just before the sixth caller asks.
    order: list[int] = []
    holding = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with db.read_scope() as scope:
            await scope.session.execute(select(literal(1)))
            holding.set()
            await release.wait()

    async def caller(index: int) -> None:
        async with db.read_scope() as scope:
            await scope.session.execute(select(literal(1)))
            order.append(index)

    first = asyncio.create_task(holder())
    await holding.wait()
    callers = []
    for index in range(5):
        callers.append(asyncio.create_task(caller(index)))
        await asyncio.sleep(0.01)  # each one waiting before the next asks
    release.set()  # the holder runs next and returns the connection...
    callers.append(asyncio.create_task(caller(5)))  # ...and this one asks right after
    await asyncio.gather(first, *callers)
    assert order == [0, 1, 2, 3, 4, 5]
    await db.dispose()


async def test_a_pool_wait_past_the_timeout_is_a_503(database_url: str) -> None:
    db = Database(database_url, pool_size=1, pool_timeout=0.2)
    async with db.read_scope() as held:
        await held.session.execute(text("SELECT 1"))
        with pytest.raises(ServiceUnavailable):
            async with db.read_scope() as scope:
                await scope.session.execute(text("SELECT 1"))
    async with db.read_scope() as scope:  # the line is empty again: served at once
        assert await scope.session.scalar(text("SELECT 1")) == 1
    await db.dispose()

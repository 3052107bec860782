"""``Database.read_scope()``, the unit of work of queries: plain SELECTs run without a
transaction, anything else begins one first, and the outcome is the same as ``scope()``:
writes commit, errors roll back, an unreachable database is a 503. Each test runs on both
drivers the app's engine may use (asyncpg, the default, and psycopg)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import Integer, String, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sentinel_spec.runtime.db.database import Database, SessionScope
from sentinel_spec.runtime.db.urls import libpq_url
from sentinel_spec.runtime.errors import ServiceUnavailable
from sentinel_spec.runtime.jobs.queue import scope_connection
from sentinel_spec.runtime.jobs.session_connection import SessionConnection

pytestmark = pytest.mark.postgres


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "read_scope_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture(params=["asyncpg", "psycopg"])
async def db(database_url: str, request: pytest.FixtureRequest) -> Any:
    database = Database(database_url, driver=request.param)
    assert database.driver == request.param
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.execute(Item.__table__.insert(), [{"id": 1, "name": "one"}])
    yield database
    await database.dispose()


async def in_transaction(scope: SessionScope) -> bool:
    """Whether the scope's connection is in a transaction, as its driver reports it."""
    connection = await scope.session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if isinstance(driver, psycopg.AsyncConnection):
        return driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    return bool(driver.is_in_transaction())


async def backend_pid(scope: SessionScope) -> int:
    connection = await scope.session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if isinstance(driver, psycopg.AsyncConnection):
        return int(driver.info.backend_pid)
    return int(driver.get_server_pid())


async def names(db: Database) -> list[str]:
    async with db.scope() as scope:
        return list((await scope.session.scalars(select(Item.name).order_by(Item.id))).all())


async def test_a_plain_select_runs_outside_a_transaction(db: Database) -> None:
    async with db.read_scope() as scope:
        rows = (await scope.session.scalars(select(Item))).all()
        assert [r.name for r in rows] == ["one"]
        assert not await in_transaction(scope)  # no BEGIN was sent
        row = await scope.session.get(Item, 1)
        assert row is not None
        assert not await in_transaction(scope)


async def test_the_same_select_in_a_normal_scope_is_in_a_transaction(db: Database) -> None:
    async with db.scope() as scope:
        await scope.session.scalars(select(Item))
        assert await in_transaction(scope)


async def test_an_orm_write_commits_on_exit(db: Database) -> None:
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item))  # read first, in autocommit
        scope.session.add(Item(id=2, name="two"))
        await scope.session.flush()
        assert await in_transaction(scope)
    assert await names(db) == ["one", "two"]


async def test_an_orm_write_rolls_back_when_the_body_raises(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.read_scope() as scope:
            await scope.session.scalars(select(Item))
            scope.session.add(Item(id=2, name="two"))
            await scope.session.flush()
            row = await scope.session.get(Item, 1)
            assert row is not None
            row.name = "changed"
            await scope.session.flush()
            raise RuntimeError("boom")
    assert await names(db) == ["one"]


async def test_text_sql_is_never_taken_for_a_read(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.read_scope() as scope:
            await scope.session.execute(text("UPDATE read_scope_item SET name = 'x'"))
            raise RuntimeError("boom")
    assert await names(db) == ["one"]
    async with db.read_scope() as scope:
        await scope.session.execute(text("UPDATE read_scope_item SET name = 'kept'"))
    assert await names(db) == ["kept"]


async def test_select_for_update_takes_a_transaction_and_its_lock(db: Database) -> None:
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item).with_for_update())
        assert await in_transaction(scope)


async def test_the_driver_connection_handed_to_jobs_is_in_the_transaction(db: Database) -> None:
    # Job submits run on the driver's own connection (psycopg: no SQLAlchemy event sees
    # them) or, on asyncpg, through the session's SQLAlchemy connection.
    insert = "INSERT INTO read_scope_item VALUES (3, %(name)s) RETURNING id"
    with pytest.raises(RuntimeError):
        async with db.read_scope() as scope:
            await scope.session.scalars(select(Item))
            driver = await scope_connection(scope)
            if isinstance(driver, SessionConnection):
                assert await driver.fetch_all(insert, {"name": "job"}) == [{"id": 3}]
            else:
                await driver.execute(insert, {"name": "job"})
            assert await in_transaction(scope)
            raise RuntimeError("boom")
    assert await names(db) == ["one"]


async def test_connections_go_back_to_the_pool_transactional(db: Database) -> None:
    for _ in range(3):  # every pooled connection has served a read scope
        async with db.read_scope() as scope:
            await scope.session.scalars(select(Item))
    with pytest.raises(RuntimeError):
        async with db.scope() as scope:
            await scope.session.execute(text("INSERT INTO read_scope_item VALUES (4, 'no')"))
            raise RuntimeError("boom")
    assert await names(db) == ["one"]


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
async def test_unreachable_database_is_a_503(driver: str) -> None:
    db = Database("postgresql://postgres@127.0.0.1:1/none", connect_timeout_s=1, driver=driver)
    try:
        with pytest.raises(ServiceUnavailable):
            async with db.read_scope() as scope:
                await scope.session.scalars(select(Item))
    finally:
        await db.dispose()


async def test_a_connection_lost_under_a_read_is_a_503_and_the_pool_recovers(
    db: Database, database_url: str
) -> None:
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item))
        pid = await backend_pid(scope)
    # The server ends the pooled connection (a restart, a failover) while it is idle.
    with psycopg.connect(libpq_url(database_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(ServiceUnavailable):
        async with db.read_scope() as scope:
            await scope.session.scalars(select(Item))
    async with db.read_scope() as scope:  # the pool reconnects by itself
        assert [r.name for r in (await scope.session.scalars(select(Item))).all()] == ["one"]


async def test_an_added_object_not_yet_flushed_is_committed(db: Database) -> None:
    # Only reads went through the connection: the commit must still flush the add.
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item))
        scope.session.add(Item(id=5, name="unflushed"))
    assert await names(db) == ["one", "unflushed"]


async def test_a_change_to_a_loaded_object_is_committed(db: Database) -> None:
    async with db.read_scope() as scope:
        row = await scope.session.get(Item, 1)
        assert row is not None
        row.name = "renamed"
    assert await names(db) == ["renamed"]


async def test_commit_listeners_still_hear_a_read_only_commit(db: Database) -> None:
    # Realtime's Redis publishes wait for the session's after_commit, even in a query.
    from sqlalchemy import event

    heard: list[str] = []
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item))
        event.listen(scope.session.sync_session, "after_commit", lambda _: heard.append("c"))
    assert heard == ["c"]


async def test_on_commit_callbacks_run_after_a_read_only_scope(db: Database) -> None:
    ran: list[str] = []
    async with db.read_scope() as scope:
        await scope.session.scalars(select(Item))
        scope.on_commit(lambda: ran.append("after"))
    assert ran == ["after"]
    with pytest.raises(RuntimeError):
        async with db.read_scope() as scope:
            await scope.session.scalars(select(Item))
            scope.on_commit(lambda: ran.append("never"))
            raise RuntimeError("boom")
    assert ran == ["after"]


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg"])
@pytest.mark.parametrize("kind", ["scope", "read_scope"])
async def test_a_swallowed_failed_flush_still_fails_the_scope(driver: str, kind: str) -> None:
    # The flush's failure rolled the transaction back and dropped the pending object:
    # leaving must not take that for "nothing to commit".
    db = Database("postgresql://postgres@127.0.0.1:1/none", connect_timeout_s=1, driver=driver)
    try:
        with pytest.raises(ServiceUnavailable):
            async with getattr(db, kind)() as scope:
                scope.session.add(Item(id=9, name="lost"))
                with pytest.raises(Exception, match="connect"):
                    await scope.session.flush()
    finally:
        await db.dispose()


async def test_autocommit_asked_for_on_the_engine_is_left_as_asked(db: Database) -> None:
    # The read scope's switch acts on its own statements only: a connection of the app's
    # engine put in AUTOCOMMIT by its user runs what cannot run in a transaction.
    async with db.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql(
            "CREATE INDEX CONCURRENTLY read_scope_item_name ON read_scope_item (name)"
        )
    with pytest.raises(RuntimeError):  # and the pool's connections are transactional again
        async with db.scope() as scope:
            await scope.session.execute(text("INSERT INTO read_scope_item VALUES (5, 'no')"))
            raise RuntimeError("boom")
    assert await names(db) == ["one"]

"""``SessionScope.on_commit`` against a real PostgreSQL: after the commit, never on rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sentinel_spec.runtime.db.database import Database

pytestmark = pytest.mark.postgres


async def test_callbacks_run_after_the_commit_and_see_its_rows(database_url: str) -> None:
    db = Database(database_url)
    seen: list[int] = []
    try:
        async with db.scope() as scope:
            await scope.session.execute(text("CREATE TABLE t (id int)"))
            await scope.session.execute(text("INSERT INTO t VALUES (1)"))

            async def count_rows() -> None:
                # A new connection sees the row: the transaction is already committed.
                async with db.engine.connect() as conn:
                    seen.append((await conn.execute(text("SELECT count(*) FROM t"))).scalar_one())

            scope.on_commit(count_rows)
            assert seen == []
        assert seen == [1]
    finally:
        await db.dispose()


async def test_no_callback_after_a_rollback_or_a_failed_commit(database_url: str) -> None:
    db = Database(database_url)
    seen: list[str] = []
    try:
        with pytest.raises(RuntimeError):
            async with db.scope() as scope:
                await scope.session.execute(text("SELECT 1"))
                scope.on_commit(lambda: seen.append("rollback"))
                raise RuntimeError("the call failed")
        async with db.scope() as scope:
            await scope.session.execute(
                text("CREATE TABLE u (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED)")
            )
        with pytest.raises(Exception, match="duplicate key"):
            async with db.scope() as scope:
                # A deferred constraint fails at COMMIT itself.
                await scope.session.execute(text("INSERT INTO u VALUES (1), (1)"))
                scope.on_commit(lambda: seen.append("failed commit"))
        assert seen == []
    finally:
        await db.dispose()


async def test_callbacks_run_when_the_call_never_opened_a_session(database_url: str) -> None:
    db = Database(database_url)
    seen: list[str] = []
    try:
        async with db.scope() as scope:
            scope.on_commit(lambda: seen.append("ran"))
        assert seen == ["ran"]
    finally:
        await db.dispose()

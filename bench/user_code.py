"""What a user's own code can do for a hot read, each against the plain way measured in
the same run (docs/performance.md, "In your own code"):

1. Core instead of ORM: 20 rows as ``select(Item)`` (ORM objects) against
   ``select(Item.__table__)`` rows as mappings, both serialised as operations return them.
2. ``selectinload`` instead of one query per parent: 20 cases and their comments, loaded
   with one extra query against 20 extra queries (async SQLAlchemy cannot lazy-load, so
   the alternative a user writes is the loop).
3. An index: 20 rows filtered on an unindexed column of a 100,000-row table, then the
   same after ``CREATE INDEX``.

Each call runs in a query's unit of work (``Database.read_scope``, as operations do),
on the runtime's engine, one at a time (in process, no HTTP): the figure is the time per
call, median of rounds, and the ratio is plain / improved.

    python bench/user_code.py [--calls 300] [--rounds 5] [--driver asyncpg]

Needs PostgreSQL (DATABASE_URL, default the local one); makes and drops its own database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    selectinload,
)

from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.serialization import dumps


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal]
    sku: Mapped[str] = mapped_column(String(40))  # no index until part 3 adds one


class Case(Base):
    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    comments: Mapped[list[Comment]] = relationship(back_populates="case")


class Comment(Base):
    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    body: Mapped[str] = mapped_column(String(200))
    case: Mapped[Case] = relationship(back_populates="comments")


Call = Callable[[Any], Awaitable[bytes]]


async def orm_rows(session: Any) -> bytes:
    return dumps((await session.scalars(select(Item).order_by(Item.id).limit(20))).all())


async def core_rows(session: Any) -> bytes:
    table = Item.__table__
    rows = await session.execute(select(table).order_by(table.c.id).limit(20))
    return dumps(rows.mappings().all())


async def one_query_per_case(session: Any) -> bytes:
    cases = (await session.scalars(select(Case).order_by(Case.id).limit(20))).all()
    out = []
    for case in cases:
        comments = await session.scalars(select(Comment).where(Comment.case_id == case.id))
        out.append({"case": case, "comments": comments.all()})
    return dumps(out)


async def with_selectinload(session: Any) -> bytes:
    query = select(Case).options(selectinload(Case.comments)).order_by(Case.id).limit(20)
    cases = (await session.scalars(query)).all()
    return dumps([{"case": case, "comments": case.comments} for case in cases])


async def by_sku(session: Any) -> bytes:
    query = select(Item).where(Item.sku == "sku-77777").limit(20)
    return dumps((await session.scalars(query)).all())


async def per_call(db: Database, call: Call, calls: int) -> float:
    for _ in range(min(20, calls)):  # warm: compiled-statement cache, pool
        async with db.read_scope() as scope:
            await call(scope.session)
    started = time.perf_counter()
    for _ in range(calls):
        async with db.read_scope() as scope:
            await call(scope.session)
    return (time.perf_counter() - started) / calls


async def compare(
    db: Database, title: str, plain: Call, better: Call, calls: int, rounds: int
) -> None:
    times: dict[str, list[float]] = {"plain": [], "better": []}
    ratios = []
    for index in range(rounds):
        order = [("plain", plain), ("better", better)]
        if index % 2:
            order.reverse()
        measured = {name: await per_call(db, call, calls) for name, call in order}
        for name, value in measured.items():
            times[name].append(value)
        ratios.append(measured["plain"] / measured["better"])
    plain_ms = statistics.median(times["plain"]) * 1000
    better_ms = statistics.median(times["better"]) * 1000
    print(
        f"{title:<44} {plain_ms:7.2f} ms -> {better_ms:7.2f} ms a call "
        f"({statistics.median(ratios):.2f}x faster)"
    )


async def main(args: argparse.Namespace) -> None:
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url
    from tests.conftest import with_database

    server = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"bench_user_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = Database(with_database(server, name), driver=args.driver)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
            await conn.execute(
                Item.__table__.insert(),
                [
                    {"name": f"item {i}", "price": Decimal(i) / 100, "sku": f"sku-{i}"}
                    for i in range(100_000)
                ],
            )
            await conn.execute(Case.__table__.insert(), [{"title": f"case {i}"} for i in range(20)])
            await conn.execute(
                Comment.__table__.insert(),
                [{"case_id": 1 + i % 20, "body": f"comment {i}"} for i in range(200)],
            )
            await conn.exec_driver_sql("ANALYZE")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"in process, one call at a time, on {db.driver}; load average {load}")
        calls, rounds = args.calls, args.rounds
        await compare(db, "1. 20 rows: ORM -> Core (mappings)", orm_rows, core_rows, calls, rounds)
        await compare(
            db,
            "2. 20 cases + comments: loop -> selectinload",
            one_query_per_case,
            with_selectinload,
            max(1, calls // 4),
            rounds,
        )
        no_index = await per_call(db, by_sku, max(1, calls // 10))
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("CREATE INDEX item_sku ON item (sku)")
            await conn.exec_driver_sql("ANALYZE item")
        indexed = await per_call(db, by_sku, calls)
        print(
            f"{'3. filter on sku of 100,000 rows: + an index':<44} {no_index * 1000:7.2f} ms -> "
            f"{indexed * 1000:7.2f} ms a call ({no_index / indexed:.1f}x faster)"
        )
    finally:
        await db.dispose()
        with psycopg.connect(libpq_url(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--driver", choices=["asyncpg", "psycopg"], default="asyncpg")
    asyncio.run(main(parser.parse_args()))

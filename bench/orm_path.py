"""What one 20-row query and one crud getAll cost the runtime, in process, without HTTP
(issue 13): CPU µs per call of

1. ``query``: the ``query getItems`` endpoint of ``bench/operations.py``'s app called with a
   request (arguments, unit of work, the user's ``context.session.scalars`` of 20 ORM
   rows, serialisation, the scope's close), against the same work written by hand with
   SQLAlchemy (``async_sessionmaker``, ``scalars``, ``commit``, the columns as dicts,
   orjson);
2. ``crud``: the ``crud Items { getAll }`` endpoint (its first page: 20 rows and the
   total), against the hand-written page (ORM rows and a ``count(*)``, as the HTTP
   bench's baseline does);
3. ``scope``: the runtime's read scope alone around the user's statement, serialised
   (no request, no arguments), the part ``runtime/db`` and ``serialization.py`` own.

Each figure is ``time.thread_time`` (the CPU of this process's only thread: asyncpg's
socket calls included, PostgreSQL's work not) over a block of calls, the least of the
rounds, the sides alternated block by block, one call at a time on one connection.

    python bench/orm_path.py [--calls 400] [--rounds 7] [--profile query|crud|scope]
                             [--top 25] [--driver asyncpg]

``--profile`` runs one case under cProfile instead and prints its top lines by own time.
Needs PostgreSQL (DATABASE_URL, default the local one); makes and drops its own database.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import operations as bench

# bench/limits.py would shadow the limits package (the script's directory is on the path).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

Call = Callable[[], Awaitable[Any]]


def request_for(path: str) -> Any:
    """A POST of ``null`` to ``path`` as the server hands it to the endpoint."""
    from starlette.requests import Request

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"4")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"null", "more_body": False}

    return Request(scope, receive)


def endpoint_call(app: Any, path: str) -> Call:
    route = next(r for r in app.routes if getattr(r, "path", None) == path)
    endpoint = route.endpoint

    async def call() -> bytes:
        response = await endpoint(request_for(path))
        assert response.status_code == 200, response.body
        return bytes(response.body)

    return call


def hand_written(engine_url: str, models: Any) -> tuple[Any, Call, Call]:
    """The HTTP bench's baseline routes without HTTP, on orjson: (engine, query, crud)."""
    import orjson
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    item = models.Item
    engine = create_async_engine(engine_url, pool_size=10)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    columns = [c.key for c in item.__mapper__.column_attrs]

    def default(value: Any) -> Any:
        return str(value)  # Decimal (orjson writes datetimes itself)

    async def query() -> bytes:
        async with sessions() as session:
            rows = (await session.scalars(sa.select(item).order_by(item.id).limit(20))).all()
            await session.commit()
        return orjson.dumps([{c: getattr(r, c) for c in columns} for r in rows], default=default)

    async def crud() -> bytes:
        async with sessions() as session:
            page = sa.select(item).order_by(item.id).limit(50).offset(0)
            rows = (await session.scalars(page)).all()
            total = await session.scalar(sa.select(sa.func.count()).select_from(item))
            await session.commit()
        items = [{c: getattr(r, c) for c in columns} for r in rows]
        return orjson.dumps({"items": items, "total": total}, default=default)

    return engine, query, crud


def scope_call(database: Any, models: Any) -> Call:
    from sqlalchemy import select

    from sentinel_spec.runtime.serialization import dumps

    item = models.Item

    async def call() -> bytes:
        async with database.read_scope() as scope:
            rows = (await scope.session.scalars(select(item).order_by(item.id).limit(20))).all()
            return dumps(rows)

    return call


async def cpu_per_call(call: Call, calls: int) -> float:
    started = time.thread_time()
    for _ in range(calls):
        await call()
    return (time.thread_time() - started) / calls * 1e6


async def measure(cases: dict[str, tuple[Call, Call | None]], calls: int, rounds: int) -> None:
    for ours, theirs in cases.values():  # warm: caches, pool, prepared statements
        await cpu_per_call(ours, 50)
        if theirs is not None:
            await cpu_per_call(theirs, 50)
    best: dict[str, float] = {}
    for index in range(rounds):
        for name, (ours, theirs) in cases.items():
            sides = [(name, ours)] + ([(f"{name} by hand", theirs)] if theirs else [])
            for label, call in sides if index % 2 == 0 else reversed(sides):
                value = await cpu_per_call(call, calls)
                best[label] = min(best.get(label, value), value)
    for label, value in best.items():
        print(f"  {label:<16} {value:8.0f} µs CPU a call")
    for name, (_, theirs) in cases.items():
        if theirs is not None:
            ratio = best[f"{name} by hand"] / best[name]
            print(f"  {name}: by hand / runtime = {ratio:.2f}")


async def profile(call: Call, calls: int, top: int) -> None:
    await cpu_per_call(call, 50)
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for _ in range(calls):
        await call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


async def latency(call: Call, clients: int, seconds: float) -> None:
    """``clients`` callers at once, each calling in a loop: the latency percentiles, and
    what the cyclic garbage collector took meanwhile (gc.callbacks)."""
    import gc

    times: list[float] = []
    failed = [0]
    pauses: list[float] = []
    started_gc: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started_gc.append(time.perf_counter())
        elif started_gc:
            pauses.append(time.perf_counter() - started_gc.pop())

    end = time.monotonic() + seconds

    async def client() -> None:
        while time.monotonic() < end:
            began = time.perf_counter()
            try:
                await call()
            except AssertionError:  # an error answer (a 503: the pool's wait timed out)
                failed[0] += 1
            times.append(time.perf_counter() - began)

    await asyncio.gather(*(client() for _ in range(4)))  # warm
    times.clear()
    end = time.monotonic() + seconds
    gc.callbacks.append(on_gc)
    cpu = time.thread_time()
    try:
        await asyncio.gather(*(client() for _ in range(clients)))
    finally:
        gc.callbacks.remove(on_gc)
    cpu = time.thread_time() - cpu
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))] * 1000

    print(
        f"  {clients} callers, {len(times)} calls in {seconds:.0f} s ({len(times) / seconds:.0f}/s,"
        f" {cpu / len(times) * 1e6:.0f} µs CPU a call): p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f}"
        f" ms, max {times[-1] * 1000:.1f} ms, {failed[0]} failed; GC {len(pauses)} passes,"
        f" {sum(pauses) * 1000:.0f} ms in all, longest {max(pauses, default=0) * 1000:.1f} ms"
    )


async def run(project: Path, db_url: str, args: argparse.Namespace) -> None:
    os.chdir(project)
    sys.path.insert(0, str(project))
    os.environ.update(bench.server_env(db_url, project))
    os.environ["BENCH_LIMITS_STORAGE"] = "memory://"
    import generated.models as models  # type: ignore[import-not-found]
    import generated.server as server  # type: ignore[import-not-found]

    if args.pool == "sqlalchemy":
        from sqlalchemy.pool import AsyncAdaptedQueuePool

        import sentinel_spec.runtime.db.database as database_module

        database_module.FairAsyncQueuePool = AsyncAdaptedQueuePool  # type: ignore[misc]
    app = server.create_app()
    state = app.state.sentinel
    async with app.router.lifespan_context(app):
        engine, by_hand_query, by_hand_crud = hand_written(state.database.engine_url, models)
        cases: dict[str, tuple[Call, Call | None]] = {
            "query": (endpoint_call(app, "/operations/get-items"), by_hand_query),
            "crud": (endpoint_call(app, "/crud/items/get-all"), by_hand_crud),
            "scope": (scope_call(state.database, models), None),
        }
        try:
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"in process, on {state.database.driver}; load average {load}")
            if args.clients:
                await latency(cases[args.case][0], args.clients, args.seconds)
            elif args.profile:
                await profile(cases[args.profile][0], args.calls, args.top)
            else:
                await measure(cases, args.calls, args.rounds)
        finally:
            await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", choices=["query", "crud", "scope"])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--clients", type=int, default=0, help="callers at once: latency instead of CPU"
    )
    parser.add_argument("--case", choices=["query", "crud", "scope"], default="query")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--pool",
        choices=["fair", "sqlalchemy"],
        default="fair",
        help="sqlalchemy: the engine on SQLAlchemy's own AsyncAdaptedQueuePool (to compare)",
    )
    parser.add_argument("--driver", choices=["asyncpg", "psycopg"], default="asyncpg")
    args = parser.parse_args()
    bench.DRIVER[0] = args.driver
    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with tempfile.TemporaryDirectory(prefix="sentinel-bench-orm-") as tmp:
        project = Path(tmp) / "bench"
        db_url = bench.prepare(project, server_url)
        try:
            try:
                import uvloop  # as the server runs

                uvloop.run(run(project, db_url, args))
            except ImportError:
                asyncio.run(run(project, db_url, args))
        finally:
            bench.drop_database(server_url)


if __name__ == "__main__":
    main()

"""The generated app against a hand-written Starlette + SQLAlchemy app doing the same work.

Both answer `POST /operations/get-items` with 20 rows read from PostgreSQL, served by
uvicorn with the same flags (server pinned to CPU 0, wrk to CPU 1 when `taskset` exists),
loaded by wrk from a separate process on loopback. Each round runs both, in alternating
order; the ratio is taken per round and its median printed, so a drift in the machine's
speed during the run does not favour either side
(target: req/s ratio >= 0.9, p99 ratio <= 1.2).

    python bench/operations.py [--duration 12] [--connections 32] [--rounds 5]

A p99 rests on the slowest 1% of the requests, so a run must be long enough for
that to be more than a handful of them: 12 s at ~400 req/s is about 50.

Needs `wrk` (Debian package) and a PostgreSQL (DATABASE_URL, default the local one).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SPEC = """\
app Bench { title: "Bench" }

entity Item {
  id        Int      @id @default(autoincrement())
  name      String
  price     Decimal
  tags      String[]
  createdAt DateTime @default(now())
}

query getItems {
  fn: import { get_items } from "@src/items",
  entities: [Item],
}
"""

USER_CODE = """\
from sqlalchemy import select


async def get_items(args: None, context):
    item = context.entities.Item
    return (await context.session.scalars(select(item).order_by(item.id).limit(20))).all()
"""

# The same work written by hand: same query, same JSON forms, same pool.
BASELINE = """\
import datetime as dt
import decimal
import json
import os

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from generated.models import Item


def default(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(type(value))


def create_app():
    engine = create_async_engine(os.environ["BENCH_SQLALCHEMY_URL"], pool_size=10)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    columns = [c.key for c in Item.__mapper__.column_attrs]

    async def get_items(request):
        await request.body()
        async with sessions() as session:
            rows = (await session.scalars(select(Item).order_by(Item.id).limit(20))).all()
            await session.commit()
        body = json.dumps([{c: getattr(r, c) for c in columns} for r in rows], default=default)
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/operations/get-items", get_items, methods=["POST"])])
"""

WRK_SCRIPT = (
    'wrk.method = "POST"\nwrk.body = "null"\nwrk.headers["Content-Type"] = "application/json"\n'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(port: int, timeout: float = 20.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = httpx.post(
                f"http://127.0.0.1:{port}/operations/get-items",
                content=b"null",
                headers={"content-type": "application/json"},
            )
            if r.status_code == 200 and len(r.json()) == 20:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer 20 rows in {timeout} s")


def prepare(project: Path, server_url: str) -> str:
    """Build the bench app, create its database and 100 rows; return the app's DB URL."""
    import psycopg

    (project / "src").mkdir(parents=True)
    (project / "app.sq").write_text(SPEC)
    (project / "src" / "__init__.py").write_text("")
    (project / "src" / "items.py").write_text(USER_CODE)
    (project / "baseline_app.py").write_text(BASELINE)
    subprocess.run(["sentinel", "build", "--project", str(project)], check=True)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sentinel_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE sentinel_bench")
    db_url = re.sub(r"/[^/?]*(\?|$)", r"/sentinel_bench\1", server_url.split("://", 1)[1], count=1)
    db_url = "postgresql+psycopg://" + db_url
    setup = textwrap.dedent(
        """
        import asyncio, decimal, os, sys
        sys.path.insert(0, os.getcwd())
        from sqlalchemy.ext.asyncio import create_async_engine
        from generated.models import Base, Item
        async def main():
            engine = create_async_engine(os.environ["BENCH_SQLALCHEMY_URL"])
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
                await conn.execute(Item.__table__.insert(), [
                    {"name": f"item {i}", "price": decimal.Decimal("9.99") + i, "tags": ["a", "b"]}
                    for i in range(100)])
            await engine.dispose()
        asyncio.run(main())
        """
    )
    env = {**os.environ, "BENCH_SQLALCHEMY_URL": db_url}
    subprocess.run([sys.executable, "-c", setup], cwd=project, env=env, check=True)
    return db_url


def pinned(cpu: int) -> list[str]:
    """A command prefix that keeps the process on one CPU, so the server and the load
    generator do not take turns on the same core; empty where taskset is missing."""
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") else []


def serve(project: Path, target: str, port: int, db_url: str) -> subprocess.Popen[bytes]:
    cmd = [
        *pinned(0),
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--port",
        str(port),
        "--workers",
        "1",
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "BENCH_SQLALCHEMY_URL": db_url,
        "PYTHONPATH": str(project),
    }
    return subprocess.Popen(cmd, cwd=project, env=env)


def load(port: int, duration: int, connections: int, script: Path) -> tuple[float, float]:
    """(requests/s, p99 ms) from one wrk run."""
    out = subprocess.run(
        [
            *pinned(1),
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/operations/get-items",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers under load:\n{out}")
    return rps, p99_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "bench"
        db_url = prepare(project, server_url)
        script = Path(tmp) / "post.lua"
        script.write_text(WRK_SCRIPT)
        results: dict[str, list[tuple[float, float]]] = {"generated": [], "baseline": []}
        targets = {
            "generated": "generated.server:create_app",
            "baseline": "baseline_app:create_app",
        }
        for round_ in range(args.rounds):
            order = list(targets) if round_ % 2 == 0 else list(reversed(targets))
            for name in order:
                port = free_port()
                proc = serve(project, targets[name], port, db_url)
                try:
                    wait_http(port)
                    load(port, 2, args.connections, script)  # warm-up
                    results[name].append(load(port, args.duration, args.connections, script))
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)

    for name, runs in results.items():
        rps = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        print(
            f"{name:>9}: {rps:8.0f} req/s   p99 {p99:7.2f} ms   "
            f"(runs: {', '.join(f'{r:.0f}' for r, _ in runs)}; "
            f"p99s: {', '.join(f'{p:.0f}' for _, p in runs)})"
        )
    pairs = list(zip(results["generated"], results["baseline"], strict=True))
    rps_ratio = statistics.median(g[0] / b[0] for g, b in pairs)
    p99_ratio = statistics.median(g[1] / b[1] for g, b in pairs)
    print(
        f"ratio generated/baseline (median of {len(pairs)} paired rounds): "
        f"req/s {rps_ratio:.2f} (target >= 0.9), p99 {p99_ratio:.2f} (target <= 1.2)"
    )


if __name__ == "__main__":
    main()

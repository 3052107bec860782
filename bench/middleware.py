"""What the always-on stack costs: Sentinel's app against a bare Starlette endpoint.

1. In process (no sockets): one constant operation (``return "ok"``) through the full
   default stack (trusted proxies, request context + ECS access log written to a file,
   security headers, CORS, the server-wide rate limit, body limits, argument decoding)
   against a bare Starlette route answering the same bytes. Per-request overhead in µs
   (target < 150 µs) and where it goes, layer by layer.
2. Over HTTP (uvicorn, wrk on loopback; server pinned to CPU 0, wrk to CPU 1): the same
   constant operation served by ``sentinel start`` (guarded protocol, JSON logs) against
   the bare Starlette route under plain uvicorn. req/s ratio (target >= 0.8).
3. One rate-limit check (``LimitsRateLimiter.hit``) on memory and on Redis, next to a
   bare Redis PING for the floor.

    python bench/middleware.py [--requests 20000] [--duration 10] [--rounds 3]

Rounds alternate the two sides and the ratio is taken per round (median printed), so a
drift in the machine's speed favours neither. The machine's load is printed with the
figures: on a shared machine, read them against it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.config
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# Not bench/ itself: bench/limits.py would shadow the ``limits`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

from starlette.applications import Starlette  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from sentinel_spec.contract.declarations import AppDecl, Operation, RateLimit  # noqa: E402
from sentinel_spec.runtime.app import create_app  # noqa: E402
from sentinel_spec.runtime.observability.logging import logging_config  # noqa: E402

ASGIApp = Callable[..., Any]


async def constant(args: None, context: Any) -> str:
    return "ok"


def bare_app() -> Starlette:
    async def ping(request: Request) -> Response:
        await request.body()
        return Response(b'"ok"', media_type="application/json")

    return Starlette(routes=[Route("/operations/ping", ping, methods=["POST"])])


def sentinel_app(**decl_changes: Any) -> ASGIApp:
    fields: dict[str, Any] = {
        "name": "Bench",
        "title": "Bench",
        "operations": (Operation("ping", "ping", "action", constant),),
        "cors_origins": ("http://client.example",),
        # Large enough never to refuse: the check itself is what is measured.
        "default_rate_limit": RateLimit(10**9, 60),
    }
    fields.update(decl_changes)
    return create_app(AppDecl(**fields), environ={}, dotenv=None)


# ---------------------------------------------------------------- 1. in process

HEADERS = [
    (b"host", b"bench"),
    (b"content-type", b"application/json"),
    (b"content-length", b"4"),
    (b"origin", b"http://client.example"),
    (b"user-agent", b"bench"),
]


async def drive(app: ASGIApp, count: int) -> float:
    """CPU seconds per request for ``count`` sequential requests straight into ``app``."""
    body = {"type": "http.request", "body": b"null", "more_body": False}
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return body

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    base = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/operations/ping",
        "raw_path": b"/operations/ping",
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    for _ in range(200):  # warm up
        await app({**base, "headers": list(HEADERS), "state": {}}, receive, send)
    # CPU time of this thread, not wall time: on a shared machine the other processes'
    # turns on the core would otherwise be counted as the stack's cost.
    started = time.thread_time()
    for _ in range(count):
        await app({**base, "headers": list(HEADERS), "state": {}}, receive, send)
    elapsed = time.thread_time() - started
    assert set(statuses) == {200}, set(statuses)
    return elapsed / count


async def with_lifespan(app: Any, count: int) -> float:
    if hasattr(app, "router"):
        async with app.router.lifespan_context(app):
            return await drive(app, count)
    return await drive(app, count)


class ProductionLogs:
    """Logging as ``sentinel start`` configures it (ECS JSON lines, written in batches),
    with stderr sent to a file while it lasts."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> ProductionLogs:
        self.saved = sys.stderr
        self.sink = self.path.open("a")
        sys.stderr = self.sink
        logging.config.dictConfig(logging_config("INFO", environ={}))
        return self

    def __exit__(self, *exc: object) -> None:
        for handler in logging.getLogger().handlers:
            handler.close()
        logging.getLogger().handlers[:] = []
        sys.stderr = self.saved
        self.sink.close()


def in_process(count: int, rounds: int, log_file: Path) -> None:
    def no_limit(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        stack.pop("rateLimit", None)
        return stack

    def nothing(stack: dict[str, Middleware]) -> dict[str, Middleware]:
        return {}

    variants: list[tuple[str, Callable[[], Any], bool]] = [
        ("bare Starlette route", bare_app, False),
        ("full default stack", sentinel_app, True),
        ("  without the access log", sentinel_app, False),
        ("  without the rate limit", lambda: sentinel_app(middleware_config_fn=no_limit), True),
        (
            "  operation alone (no named stack, no log)",
            lambda: sentinel_app(middleware_config_fn=nothing, default_rate_limit=None),
            False,
        ),
    ]
    results: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    # The least CPU time of the rounds: what other processes do adds to it, never takes.
    for _ in range(rounds):
        for name, make, logged in variants:
            with ProductionLogs(log_file):
                access = logging.getLogger("sentinel.access")
                access.setLevel(logging.INFO if logged else logging.WARNING)
                try:
                    results[name].append(asyncio.run(with_lifespan(make(), count)))
                finally:
                    access.setLevel(logging.NOTSET)
    bare = min(results["bare Starlette route"])
    print(f"\n1. In process, {count} requests x {rounds} rounds (least CPU µs per request)")
    for name, _, _ in variants:
        value = min(results[name])
        extra = "" if name.startswith("bare") else f"   +{(value - bare) * 1e6:6.1f} µs"
        print(f"   {name:<44} {value * 1e6:7.1f} µs{extra}")
    overhead = (min(results["full default stack"]) - bare) * 1e6
    verdict = "OK" if overhead < 150 else "OVER"
    print(f"   full stack overhead: {overhead:.1f} µs per request (target < 150 µs: {verdict})")


# ---------------------------------------------------------------- 2. over HTTP

SPEC = """\
app Bench {
  title: "Bench",
  server: {
    cors: { origins: ["http://client.example"] },
    rateLimit: { default: "1000000000/minute" },
  },
}

action ping { fn: import { ping } from "@src/ops" }
"""

OPS = """\
async def ping(args: None, context):
    return "ok"
"""

BARE = """\
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route


async def ping(request):
    await request.body()
    return Response(b'"ok"', media_type="application/json")


def create_app():
    return Starlette(routes=[Route("/operations/ping", ping, methods=["POST"])])
"""

WRK_SCRIPT = (
    'wrk.method = "POST"\nwrk.body = "null"\nwrk.headers["Content-Type"] = "application/json"\n'
    'wrk.headers["Origin"] = "http://client.example"\n'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinned(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") else []


def wait_http(port: int, timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/operations/ping",
                content=b"null",
                headers={"content-type": "application/json"},
            )
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {timeout} s")


def start_sentinel(project: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [*pinned(0), sys.executable, "-c", "from sentinel_spec.cli import main; main()"]
    cmd += ["start", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SENTINEL_NOT_SERVED_REPORTED": "1"}
    with log.open("ab") as sink:
        return subprocess.Popen(cmd, cwd=project, env=env, stdout=sink, stderr=sink)


def start_bare(project: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [*pinned(0), sys.executable, "-m", "uvicorn", "--factory", "bare_app:create_app"]
    cmd += ["--port", str(port), "--http", "httptools", "--loop", "uvloop"]
    cmd += ["--no-access-log", "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=project, env={**os.environ, "PYTHONPATH": str(project)})


def wrk(port: int, duration: int, connections: int, script: Path) -> float:
    cmd = [*pinned(1), "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", str(script)]
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{port}/operations/ping"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None or "Non-2xx" in out:
        raise SystemExit(f"wrk did not measure a clean run:\n{out}")
    return float(match.group(1))


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def over_http(duration: int, rounds: int, connections: int) -> None:
    if shutil.which("wrk") is None:
        print("\n2. Over HTTP: skipped (install Debian's wrk)")
        return
    with tempfile.TemporaryDirectory(prefix="sentinel-bench-mw-") as tmp:
        project = Path(tmp)
        (project / "src").mkdir()
        (project / "app.sq").write_text(SPEC)
        (project / "src" / "__init__.py").write_text("")
        (project / "src" / "ops.py").write_text(OPS)
        (project / "bare_app.py").write_text(BARE)
        script = project / "post.lua"
        script.write_text(WRK_SCRIPT)
        build = [sys.executable, "-c", "from sentinel_spec.cli import main; main()", "build"]
        subprocess.run(
            build,
            cwd=project,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        log = project / "server.log"
        ratios: list[float] = []
        figures: list[tuple[float, float]] = []
        for index in range(rounds):
            measured: dict[str, float] = {}
            sides = ["sentinel", "bare"] if index % 2 == 0 else ["bare", "sentinel"]
            for side in sides:
                port = free_port()
                proc = (
                    start_sentinel(project, port, log)
                    if side == "sentinel"
                    else start_bare(project, port)
                )
                try:
                    wait_http(port)
                    wrk(port, 2, connections, script)  # warm-up
                    measured[side] = wrk(port, duration, connections, script)
                finally:
                    stop(proc)
            figures.append((measured["sentinel"], measured["bare"]))
            ratios.append(measured["sentinel"] / measured["bare"])
        print(f"\n2. Over HTTP, wrk -c{connections}, {duration} s x {rounds} rounds")
        for number, (ours, bare) in enumerate(figures, 1):
            print(
                f"   round {number}: sentinel {ours:8.0f} req/s   bare {bare:8.0f} req/s"
                f"   ratio {ours / bare:.2f}"
            )
        median = statistics.median(ratios)
        print(f"   median ratio {median:.2f} (target >= 0.8: {'OK' if median >= 0.8 else 'UNDER'})")
        lines = sum(1 for _ in log.open("rb"))
        print(f"   (sentinel wrote {lines} JSON log lines: one per request, as in production)")


# ---------------------------------------------------------------- 3. one rate-limit check


async def time_hits(url: str, count: int) -> float:
    from sentinel_spec.runtime.ratelimit.limiter import LimitsRateLimiter

    limiter = LimitsRateLimiter(url, key_prefix=f"bench-{os.getpid()}")
    rule = RateLimit(10**9, 60)
    for _ in range(100):
        await limiter.hit(rule, "warm")
    started = time.perf_counter()
    for index in range(count):
        await limiter.hit(rule, f"client-{index % 50}")
    elapsed = (time.perf_counter() - started) / count
    if limiter.shared:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(url)
        keys = [key async for key in client.scan_iter(f"bench-{os.getpid()}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
    await limiter.close()
    return elapsed


async def time_ping(url: str, count: int) -> float:
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(url)
    await client.ping()
    started = time.perf_counter()
    for _ in range(count):
        await client.ping()
    elapsed = (time.perf_counter() - started) / count
    await client.aclose()
    return elapsed


def rate_limit_checks(count: int) -> None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    print(f"\n3. One rate-limit check, {count} in a row")
    memory = asyncio.run(time_hits("memory://", count))
    print(f"   memory storage            {memory * 1e6:7.1f} µs per check")
    try:
        redis_hit = asyncio.run(time_hits(url, count))
        ping = asyncio.run(time_ping(url, count))
    except Exception as error:  # no Redis here
        print(f"   Redis ({url}): skipped ({error})")
        return
    print(
        f"   Redis storage             {redis_hit * 1e6:7.1f} µs per check "
        f"(two round trips: the Lua hit, then the window for the headers)"
    )
    print(f"   Redis PING (the floor)    {ping * 1e6:7.1f} µs per round trip")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20000, help="in-process requests per run")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk load per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--checks", type=int, default=5000, help="rate-limit checks to time")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        in_process(args.requests, args.rounds, Path(tmp) / "access.log")
    logging.getLogger().handlers[:] = []
    over_http(args.duration, args.rounds, args.connections)
    rate_limit_checks(args.checks)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()

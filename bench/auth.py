"""Auth's costs with the chosen Argon2id parameters, each against a baseline measured in
the same run (targets: one login under 100 ms; session validation under 0.3 ms added
per request).

1. Argon2id: hashes per second, one thread and one per core.
2. Login (``POST /auth/email/login``, through the generated test app on PostgreSQL):
   latency of one login at a time (median, p95), throughput with concurrent logins, and
   a known address with a wrong password against an unknown address (they should cost
   the same: the unknown one verifies against a dummy hash).
3. Session validation: the same route (``POST /operations/public-hello``, which reads
   ``context.user`` but needs no session) called without a session and with a bearer
   session, in alternating rounds; the added time per request is the difference of the
   medians. Measured with the in-process session cache (the normal case) and with it
   off (``AUTH_SESSION_CACHE_SECONDS=0``: one indexed SELECT and the user's row each time).

Requests go through httpx's ASGI transport, so the figures are the server's own work
(routing, middleware, auth, the database) without a network or a load generator.

    python bench/auth.py [--logins 40] [--requests 1500] [--rounds 5]

Needs PostgreSQL (DATABASE_URL, default the local one); makes and drops its own database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sentinel_spec.runtime.auth.passwords import Argon2Params, PasswordHasher  # noqa: E402

NO_LIMITS = {
    # The bench logs in hundreds of times from one address: lift the brute-force budgets.
    "AUTH_LOGIN_LIMIT_ACCOUNT": "1000000/1minute",
    "AUTH_LOGIN_LIMIT_IP": "1000000/1minute",
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def hashing(count: int) -> None:
    params = Argon2Params()
    hasher = PasswordHasher(params)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Argon2id m={params.memory_kib} KiB, t={params.time_cost}, p={params.parallelism} "
        f"({os.cpu_count()} cores, load average {load}: figures scale with it)"
    )
    stored = hasher.hash("Correct-horse-9")
    times = []
    for _ in range(count):
        start = time.perf_counter()
        hasher.verify(stored, "Correct-horse-9")
        times.append(time.perf_counter() - start)
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    print(
        f"  one thread:   {1000 / median:6.1f} hashes/s (median {median:.1f} ms, p95 {p95:.1f} ms)"
    )
    workers = os.cpu_count() or 1
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: hasher.verify(stored, "Correct-horse-9"), range(count * workers)))
    elapsed = time.perf_counter() - start
    print(f"  {workers} threads:    {count * workers / elapsed:6.1f} hashes/s")


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await call()
    return time.perf_counter() - start


async def logins(app: object, count: int) -> None:
    from tests.integration.auth.harness import PASSWORD, AuthApp

    assert isinstance(app, AuthApp)
    client = app.client()
    await app.signed_up_and_verified(client, "bench@example.com")

    async def login(email: str, password: str = PASSWORD) -> None:
        client.cookies.clear()  # a sign-in from a browser without a session
        answer = await app.login(client, email, password)
        assert answer.status_code in (200, 401), answer.text

    await login("bench@example.com")  # warm up
    one_at_a_time = [await timed(lambda: login("bench@example.com")) for _ in range(count)]
    median, p95 = statistics.median(one_at_a_time) * 1000, percentile(one_at_a_time, 0.95) * 1000
    verdict = "under" if median < 100 else "OVER"
    print(
        f"  one at a time: median {median:.1f} ms, p95 {p95:.1f} ms ({verdict} the 100 ms target)"
    )

    concurrency = 2 * (os.cpu_count() or 1)
    done = 0
    deadline = time.perf_counter() + 8

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await login("bench@example.com")
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    rate = done / (time.perf_counter() - start)
    print(f"  {concurrency} at a time:   {rate:.1f} logins/s")

    known: list[float] = []
    unknown: list[float] = []
    for _ in range(count):
        known.append(await timed(lambda: login("bench@example.com", "Wrong-pass-1")))
        unknown.append(await timed(lambda: login("nobody@example.com", "Wrong-pass-1")))
    k, u = statistics.median(known) * 1000, statistics.median(unknown) * 1000
    print(
        f"  failed login: known address {k:.1f} ms, unknown address {u:.1f} ms (ratio {u / k:.2f})"
    )


async def validation(app: object, requests: int, rounds: int, label: str) -> None:
    from tests.integration.auth.harness import AuthApp

    assert isinstance(app, AuthApp)
    body = await app.session_for(f"validate-{uuid.uuid4().hex[:8]}@example.com")
    anonymous = app.client()
    signed_in = app.client(Authorization=f"Bearer {body['sessionId']}")

    async def run(client: object, expect_user: bool) -> float:
        import httpx

        assert isinstance(client, httpx.AsyncClient)
        start = time.perf_counter()
        for _ in range(requests):
            answer = await client.post("/operations/public-hello")
            assert answer.json()["signedIn"] is expect_user
        return (time.perf_counter() - start) / requests

    await run(anonymous, False)
    await run(signed_in, True)  # warm up both paths (and the cache)
    added = []
    base = []
    for index in range(rounds):
        order = [(anonymous, False), (signed_in, True)]
        if index % 2:
            order.reverse()
        result = {expect: await run(client, expect) for client, expect in order}
        base.append(result[False])
        added.append(result[True] - result[False])
    print(
        f"  {label}: {statistics.median(base) * 1000:.3f} ms a request without a session, "
        f"+{statistics.median(added) * 1000:.3f} ms with one "
        f"({'under' if statistics.median(added) < 0.0003 else 'OVER'} the 0.3 ms target)"
    )


async def main(args: argparse.Namespace) -> None:
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url
    from tests.conftest import with_database
    from tests.integration.auth.harness import build_project, serve

    server = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"bench_auth_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            project = build_project(Path(folder) / "project")
            url = with_database(server, name)
            print("\nLogin (POST /auth/email/login, PostgreSQL, in-process ASGI)")
            async with serve(project, url, **NO_LIMITS) as app:
                await logins(app, args.logins)
                print("\nSession validation (POST /operations/public-hello)")
                await validation(app, args.requests, args.rounds, "cache on (5 s)")
            async with serve(project, url, AUTH_SESSION_CACHE_SECONDS="0", **NO_LIMITS) as app:
                await validation(app, args.requests // 3, args.rounds, "cache off     ")
    finally:
        with psycopg.connect(libpq_url(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--hashes", type=int, default=30)
    arguments = parser.parse_args()
    hashing(arguments.hashes)
    asyncio.run(main(arguments))

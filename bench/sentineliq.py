"""SentinelIQ's dashboard and audit-log pages on a big workspace, under wrk, against a
bare page measured in the same run (targets: dashboard p99 < 100 ms, audit page of 50
rows p99 < 50 ms).

The workspace has 50 members and 100,000 audit rows (COPY), spread over 90 days. The app
is the real one (``sentinel start`` on this repository, one worker pinned to CPU 0, wrk
pinned to CPU 1 when ``taskset`` exists), signed in through the real auth routes (sign
up, the verification link from a loopback SMTP server, log in); the session cookie is
what wrk sends. Measured, in alternating rounds so a drift of the machine favours none:

- baseline: ``GET /`` signed out (routing, middleware, a template; no query);
- dashboard: ``GET /dashboard`` (membership checks, counts, members, 10 audit rows);
- audit: ``GET /workspaces/<id>/audit`` (the newest 50 rows, keyset on the
  ``(workspaceId, createdAt, id)`` index), and the same page half way down the log
  (``?after=`` the cursor of row 50,000) to show a page deep in the log costs the same.

Before the load, the audit page's query alone in PostgreSQL (the SQL of the platform's
keyset read): the newest 51 rows and 51 below a cursor half way down, against the OFFSET
way to the same deep page as that measure's baseline; then the server's CPU time per
request of each page (300 requests one at a time, from /proc), which a busy machine
disturbs far less than wrk's latencies.

    python bench/sentineliq.py [--duration 10] [--connections 1,4] [--rounds 3]

One server process serves every connection, so under wrk a page's latency is its own
time plus the time it waits behind the others: with ``-c1`` p50/p99 are the page's
cost, with ``-c4`` four browsers at once. The machine's load average is printed with
each set; the ratio to the baseline is what carries from one machine to another.

Needs ``wrk`` (apt-get install wrk) and PostgreSQL (DATABASE_URL, default the local
one); makes and drops its own database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Correct-Horse-Battery-9"
MEMBERS = 50
AUDIT_ROWS = 100_000
ACTIONS = (
    "USER_LOGIN",
    "WORKSPACE_UPDATED",
    "MEMBER_ADDED",
    "INVITATION_SENT",
    "ALERT_CREATED",
    "INCIDENT_UPDATED",
    "CASE_CREATED",
    "SETTINGS_UPDATED",
)
APP_ENV = {
    "AUTH_SECRET_KEY": "sentineliq-bench-secret-key-0123456789abcdef",
    "GOOGLE_CLIENT_ID": "sentineliq-bench.apps.example",
    "GOOGLE_CLIENT_SECRET": "not-a-secret",
    "LOG_LEVEL": "WARNING",  # wrk's requests are not worth a log line each
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PIN = os.environ.get("BENCH_PIN", "1") != "0"


def pinned(cpu: int) -> list[str]:
    """Server on CPU 0, wrk on CPU 1 (BENCH_PIN=0: let the scheduler place them)."""
    return ["taskset", "-c", str(cpu)] if PIN and shutil.which("taskset") else []


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# ------------------------------------------------------------------ mail


class Mailbox:
    """A loopback SMTP server keeping each message's text, for the verification link."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[str] = []
        self.port = free_port()
        box = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                box.messages.append((envelope.original_content or b"").decode(errors="replace"))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def link(self, address: str, timeout: float = 20) -> str:
        import email
        import email.policy

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for raw in self.messages:
                message = email.message_from_string(raw, policy=email.policy.default)
                if address in str(message["To"]):
                    body = message.get_body(preferencelist=("plain",))
                    text = body.get_content() if body is not None else raw
                    found = re.search(r"https?://\S+", str(text))
                    if found:
                        return found.group(0)
            time.sleep(0.1)
        raise SystemExit(f"no mail to {address} in {timeout} s")


# ------------------------------------------------------------------ the app


def database(server_url: str) -> str:
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url
    from tests.conftest import with_database

    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sentineliq_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE sentineliq_bench")
    url = with_database(server_url, "sentineliq_bench")
    from sentinel_spec import migrations

    migrations.upgrade(ROOT, url)
    return url


def serve(db_url: str, port: int, mailbox: Mailbox, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **APP_ENV,
        "DATABASE_URL": db_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "APP_URL": f"http://127.0.0.1:{port}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "PYTHONPATH": str(ROOT),
    }
    cmd = [
        *pinned(0),
        sys.executable,
        "-c",
        "from sentinel_spec.cli import main; main()",
        "start",
        "--project",
        str(ROOT),
        "--port",
        str(port),
    ]
    with log.open("wb") as sink:
        return subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.STDOUT)


def wait_up(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the app did not start in {timeout} s")


def sign_in(base: str, mailbox: Mailbox, email: str) -> str:
    """Sign up, follow the mailed link, log in: the session id (its cookie value)."""
    from urllib.parse import parse_qs, urlparse

    import httpx

    with httpx.Client(base_url=base, timeout=10) as client:
        made = client.post("/auth/email/signup", json={"email": email, "password": PASSWORD})
        assert made.status_code in (200, 201), made.text
        token = parse_qs(urlparse(mailbox.link(email)).query)["token"][0]
        verified = client.post("/auth/email/verify-email", json={"token": token})
        assert verified.status_code == 200, verified.text
        login = client.post("/auth/email/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        return str(login.json()["sessionId"])


def populate(db_url: str, base: str, session: str) -> tuple[str, str]:
    """The owner's workspace, 49 more members and 100,000 audit rows; (workspace id, the
    cursor half way down its log)."""
    import httpx
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url

    created = httpx.post(
        base + "/operations/create-workspace",
        json={"name": "Bench Security"},
        headers={"Authorization": f"Bearer {session}"},
        timeout=10,
    )
    assert created.status_code == 200, created.text
    workspace_id = created.json()["id"]
    start = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(libpq_url(db_url)) as conn, conn.cursor() as cur:
        users = [(str(uuid.uuid4()), f"member{i}@bench.example") for i in range(MEMBERS - 1)]
        cur.executemany(
            'INSERT INTO users (id, email, "displayName", "createdAt", "updatedAt") '
            "VALUES (%s, %s, %s, now(), now())",
            [(uid, mail, f"Member {i}") for i, (uid, mail) in enumerate(users)],
        )
        cur.executemany(
            'INSERT INTO "WorkspaceMember" (role, "userId", "workspaceId", "joinedAt") '
            "VALUES (%s, %s, %s, now())",
            [
                ("MEMBER" if i % 5 else "ADMIN", uid, workspace_id)
                for i, (uid, _) in enumerate(users)
            ],
        )
        actors = [uid for uid, _ in users]
        buffer = io.StringIO()
        for i in range(AUDIT_ROWS):
            at = now - dt.timedelta(seconds=(AUDIT_ROWS - i) * 77)  # ~90 days
            buffer.write(
                f"{workspace_id}\t{actors[i % len(actors)]}\t{ACTIONS[i % len(ACTIONS)]}\t"
                f"bench\tres-{i}\tBench event {i}\t10.0.{i % 250}.{i % 200}\t{at.isoformat()}\n"
            )
        buffer.seek(0)
        with cur.copy(
            'COPY "AuditLog" ("workspaceId", "userId", action, resource, "resourceId", '
            'description, "ipAddress", "createdAt") FROM STDIN'
        ) as copy:
            copy.write(buffer.read())
        conn.commit()
        cur.execute('ANALYZE "AuditLog"')
        cur.execute(
            'SELECT "createdAt", id FROM "AuditLog" WHERE "workspaceId" = %s '
            'ORDER BY "createdAt" DESC, id DESC OFFSET %s LIMIT 1',
            (workspace_id, AUDIT_ROWS // 2),
        )
        stamp, row_id = cur.fetchone()  # type: ignore[misc]
        conn.commit()
    print(
        f"populated: {MEMBERS} members, {AUDIT_ROWS:,} audit rows "
        f"in {time.perf_counter() - start:.1f} s"
    )
    from src.core.audit.service import encode_cursor

    return workspace_id, quote(encode_cursor({"createdAt": stamp, "id": row_id}), safe="")


# ------------------------------------------------------------------ load


def wrk(url: str, duration: int, connections: int, cookie: str | None) -> dict[str, float]:
    """requests/s, p50 and p99 (ms) of one wrk run; an error answer fails the run (and
    ``check_pages`` made sure beforehand that each URL answers 200, not a redirect)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if cookie:
            script.write(f'wrk.headers["Cookie"] = "sentinel_session={cookie}"\n')
        # Many clients behind the trusted proxy (app.server.trustedProxies: loopback):
        # one address would spend rateLimit.default (300/minute per IP) in a second.
        script.write(
            "request = function()\n"
            '  wrk.headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." ..\n'
            '    math.random(0, 255) .. "." .. math.random(1, 254)\n'
            "  return wrk.format()\nend\n"
        )
    try:
        out = subprocess.run(
            [
                *pinned(1),
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out or "errors:" in out.lower():
        raise SystemExit(f"wrk saw failed requests on {url}:\n{out}")

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return {"rps": rps, "p50": latency("50%"), "p99": latency("99%")}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and every process below it (the server's
    workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pending.extend(int(c) for c in children)
    return total


def cpu_per_request(
    base: str, cookie: str, targets: dict[str, tuple[str, bool]], pid: int, count: int = 300
) -> None:
    """The server's CPU milliseconds per request of each page, one request at a time:
    what the page costs, whatever else the machine is doing (wrk's latencies move with
    the load, this much less)."""
    import httpx

    print(f"\nserver CPU per request ({count} sequential requests each, /proc)")
    print(f"{'page':30} {'CPU ms':>8}")
    for name, (path, signed_in) in targets.items():
        cookies = {"sentinel_session": cookie} if signed_in else {}

        # A new client address each request, as with wrk: rateLimit.default is per IP.
        def ip(i: int) -> dict[str, str]:
            return {"X-Forwarded-For": f"10.9.{i // 250}.{i % 250 + 1}"}

        with httpx.Client(base_url=base, cookies=cookies, timeout=10) as client:
            for i in range(20):  # warm-up
                client.get(path, headers=ip(i))
            before = cpu_seconds(pid)
            for i in range(count):
                answer = client.get(path, headers=ip(i))
                assert answer.status_code == 200, (name, answer.status_code)
            used = cpu_seconds(pid) - before
        print(f"{name:30} {used * 1000 / count:8.2f}")


def check_pages(base: str, cookie: str, targets: dict[str, tuple[str, bool]]) -> None:
    """Each page answers 200 with what it is meant to show before it is measured."""
    import httpx

    expected = {"dashboard": 'id="member-count">50<', "audit": 'id="audit-table"'}
    for name, (path, signed_in) in targets.items():
        cookies = {"sentinel_session": cookie} if signed_in else {}
        page = httpx.get(base + path, cookies=cookies, timeout=10)
        assert page.status_code == 200, (name, page.status_code, page.text[:300])
        for key, marker in expected.items():
            if name.startswith(key):
                assert marker in page.text, (name, marker)
                if key == "audit":
                    assert page.text.count("<tr>") == 51, "not a page of 50 rows"


def stop(proc: subprocess.Popen[bytes], mailbox: Mailbox, server_url: str) -> None:
    """The server, the mailbox and the bench's database, whatever the run did."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    mailbox.controller.stop()
    drop(server_url)


def page_targets(workspace_id: str, middle: str) -> dict[str, tuple[str, bool]]:
    """The pages measured: label -> (path, signed in)."""
    return {
        "baseline (GET / signed out)": ("/", False),
        "dashboard": ("/dashboard", True),
        "audit, newest 50": (f"/workspaces/{workspace_id}/audit", True),
        "audit, 50 at row 50,000": (f"/workspaces/{workspace_id}/audit?after={middle}", True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per run")
    parser.add_argument(
        "--connections",
        type=lambda text: [int(c) for c in text.split(",")],
        default=[1, 4],
        help="wrk connections, comma-separated: one run set each (default 1,4)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    db_url = database(server_url)
    mailbox = Mailbox()
    mailbox.controller.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        proc = serve(db_url, port, mailbox, log)
        try:
            wait_up(base, proc, log)
            session = sign_in(base, mailbox, "owner@bench.example")
            workspace_id, middle = populate(db_url, base, session)
            targets = page_targets(workspace_id, middle)
            check_pages(base, session, targets)
            query_times(db_url, workspace_id)
            cpu_per_request(base, session, targets, proc.pid)
            for connections in args.connections:
                measure(base, session, targets, connections, args.duration, args.rounds)
        finally:
            stop(proc, mailbox, server_url)


AUDIT_PAGE_SQL = """
SELECT a.*, u.email FROM "AuditLog" a LEFT OUTER JOIN users u ON u.id = a."userId"
WHERE a."workspaceId" = %(ws)s {where}
ORDER BY a."createdAt" DESC, a.id DESC {tail}
"""


def query_times(db_url: str, workspace_id: str, runs: int = 300) -> None:
    """The audit page's query alone (the SQL the platform's keyset read sends), in the
    database: the newest 51 rows, 51 rows below a cursor half way down, and the OFFSET
    way to the same deep page as the baseline a keyset avoids."""
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url

    with psycopg.connect(libpq_url(db_url)) as conn:
        row = conn.execute(
            'SELECT "createdAt", id FROM "AuditLog" WHERE "workspaceId" = %s '
            'ORDER BY "createdAt" DESC, id DESC OFFSET %s LIMIT 1',
            (workspace_id, AUDIT_ROWS // 2),
        ).fetchone()
        assert row is not None
        params = {"ws": workspace_id, "at": row[0], "id": row[1], "skip": AUDIT_ROWS // 2}
        variants = {
            "newest 51 (keyset)": AUDIT_PAGE_SQL.format(where="", tail="LIMIT 51"),
            "51 at row 50,000 (keyset)": AUDIT_PAGE_SQL.format(
                where='AND (a."createdAt", a.id) < (%(at)s, %(id)s)', tail="LIMIT 51"
            ),
            "51 at row 50,000 (OFFSET)": AUDIT_PAGE_SQL.format(
                where="", tail="OFFSET %(skip)s LIMIT 51"
            ),
        }
        print(f"\naudit query in PostgreSQL, {runs} runs each (psycopg, prepared)")
        print(f"{'query':30} {'p50 ms':>8} {'p99 ms':>8}")
        for name, sql in variants.items():
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                rows = conn.execute(sql, params, prepare=True).fetchall()
                times.append((time.perf_counter() - start) * 1000)
            assert len(rows) == 51, (name, len(rows))
            print(f"{name:30} {statistics.median(times):8.2f} {percentile(times, 0.99):8.2f}")


def measure(
    base: str,
    session: str,
    targets: dict[str, tuple[str, bool]],
    connections: int,
    duration: int,
    rounds: int,
) -> None:
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nwrk -t1 -c{connections} -d{duration}s x {rounds} rounds, "
        f"{os.cpu_count()} cores, load average {load_avg}"
    )
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    for path, signed_in in targets.values():  # warm-up
        wrk(base + path, 2, connections, session if signed_in else None)
    for round_no in range(rounds):
        order = list(targets.items())
        if round_no % 2:
            order.reverse()
        for name, (path, signed_in) in order:
            cookie = session if signed_in else None
            runs[name].append(wrk(base + path, duration, connections, cookie))
    report(runs)


def report(runs: dict[str, list[dict[str, float]]]) -> None:
    names = list(runs)
    baseline = names[0]
    targets = {"dashboard": 100.0, "audit, newest 50": 50.0, "audit, 50 at row 50,000": 50.0}
    print(f"{'page':30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99/base':>9}  target")
    for name in names:
        rps = statistics.median(r["rps"] for r in runs[name])
        p50 = statistics.median(r["p50"] for r in runs[name])
        p99 = statistics.median(r["p99"] for r in runs[name])
        # The ratio per round, then its median: both sides of a ratio share a round.
        ratio = statistics.median(
            r["p99"] / b["p99"] for r, b in zip(runs[name], runs[baseline], strict=True)
        )
        goal = targets.get(name)
        verdict = "" if goal is None else f"p99 < {goal:.0f} ms: {'yes' if p99 < goal else 'NO'}"
        print(f"{name:30} {rps:8.0f} {p50:8.1f} {p99:8.1f} {ratio:9.2f}  {verdict}")


def drop(server_url: str) -> None:
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url

    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sentineliq_bench WITH (FORCE)")


if __name__ == "__main__":
    main()

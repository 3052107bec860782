"""EmbeddedPostgres on a throwaway data dir: sharing, persistence, crash recovery, 503s."""

from __future__ import annotations

import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from sentinel_spec.commands.postgres import EmbeddedPostgres, database_url_for
from sentinel_spec.runtime.db.database import Database
from sentinel_spec.runtime.errors import ServiceUnavailable

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def shared_server() -> Iterator[EmbeddedPostgres]:
    # Outside pytest's tmp dirs (see embedded_data_dir in the root conftest).
    project = Path(tempfile.mkdtemp(prefix="sentinel-test-app-"))
    pg = EmbeddedPostgres.for_project(project)
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(project, ignore_errors=True)


@pytest.fixture
def server(shared_server: EmbeddedPostgres) -> EmbeddedPostgres:
    """The module's server, running whatever the previous test did to it."""
    shared_server.start()
    return shared_server


# A separate process using the server: prints "ready" once started, then waits for
# stdin to close (or to be killed) before stopping.
USER_SCRIPT = """
import sys
from pathlib import Path
from sentinel_spec.commands.postgres import EmbeddedPostgres

server = EmbeddedPostgres(Path(sys.argv[1]))
server.start()
print("ready", flush=True)
sys.stdin.read()
server.stop()
print("stopped", flush=True)
"""


def _spawn_user(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", USER_SCRIPT, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _wait_for_line(process: subprocess.Popen[str], expected: str, timeout: float) -> None:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(left):
                line = process.stdout.readline()
                if line.strip() == expected:
                    return
                assert line, f"process exited ({process.poll()}) before printing {expected!r}"
    raise AssertionError(f"no {expected!r} from the process within {timeout}s")


def _wait_until_stopped(pg: EmbeddedPostgres, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while pg.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not pg.is_running()


def _query(pg: EmbeddedPostgres, sql: str) -> object:
    with psycopg.connect(pg.libpq_url(), autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        return None if row is None else row[0]


def test_start_gives_the_app_database_over_a_unix_socket(server: EmbeddedPostgres) -> None:
    url = server.start()  # idempotent: second call while running
    assert url.startswith("postgresql+psycopg://postgres@/app?host=/")
    assert server.data_dir.name == "postgres" and server.data_dir.parent.name == ".sentinel"
    assert _query(server, "SELECT current_database()") == "app"
    assert _query(server, "SHOW listen_addresses") == ""


def test_data_survives_a_restart(server: EmbeddedPostgres) -> None:
    _query(server, "DROP TABLE IF EXISTS kept; CREATE TABLE kept (v int)")
    _query(server, "INSERT INTO kept VALUES (7)")
    server.stop()
    server.stop()  # idempotent
    assert not server.is_running()
    server.start()
    assert not server.adopted
    assert _query(server, "SELECT v FROM kept") == 7


def test_two_users_share_the_server_and_the_last_to_leave_stops_it(
    server: EmbeddedPostgres,
) -> None:
    other = EmbeddedPostgres(server.data_dir)
    assert other.start() == server.url()
    assert other.adopted
    other.stop()  # the fixture's handle still uses it
    assert server.is_running()

    other.start()
    server.stop()  # the first to leave does not stop it under the other
    assert server.is_running()
    assert _query(other, "SELECT 1") == 1
    other.stop()  # the last one does
    assert not server.is_running()


def test_a_crashed_users_server_is_adopted_and_stopped_by_the_next(
    server: EmbeddedPostgres,
) -> None:
    server.stop()
    crashed = _spawn_user(server.data_dir)
    try:
        _wait_for_line(crashed, "ready", timeout=60)
        assert server.is_running()
        crashed.kill()  # kill -9: no stop(), the server is orphaned
        crashed.wait(timeout=10)
    finally:
        crashed.kill()
    assert server.is_running()
    heir = EmbeddedPostgres(server.data_dir)
    heir.start()
    assert heir.adopted
    heir.stop()  # nobody else uses it: the orphan is stopped
    assert not server.is_running()


def test_parallel_users_all_start_and_the_last_stops(server: EmbeddedPostgres) -> None:
    server.stop()
    users = [_spawn_user(server.data_dir) for _ in range(3)]
    try:
        for user in users:
            _wait_for_line(user, "ready", timeout=60)
        assert server.is_running()
        for user in users:  # all at once: each leaves while the others may be leaving
            assert user.stdin is not None
            user.stdin.close()
        for user in users:
            _wait_for_line(user, "stopped", timeout=60)
            assert user.wait(timeout=10) == 0
    finally:
        for user in users:
            user.kill()
    assert _wait_until_stopped(server)


def test_a_live_server_that_lost_its_socket_is_restarted_not_duplicated(
    server: EmbeddedPostgres,
) -> None:
    _query(server, "DROP TABLE IF EXISTS kept; CREATE TABLE kept (v int)")
    _query(server, "INSERT INTO kept VALUES (8)")
    old_pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    # What a tmp cleaner does to a socket dir; postgres itself keeps running.
    (server.socket_dir / ".s.PGSQL.5432").unlink()
    (server.socket_dir / ".s.PGSQL.5432.lock").unlink(missing_ok=True)
    other = EmbeddedPostgres(server.data_dir)
    try:
        other.start()
        new_pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
        assert new_pid != old_pid
        deadline = time.monotonic() + 10
        while _alive(old_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(old_pid)  # stopped, not left running beside a second postmaster
        assert _query(other, "SELECT v FROM kept") == 8
    finally:
        other.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_start_recovers_from_a_killed_server(server: EmbeddedPostgres) -> None:
    pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while server.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (server.data_dir / "postmaster.pid").exists()  # stale file left behind
    server.start()
    assert _query(server, "SELECT 1") == 1


def test_database_url_for_prefers_the_environment(tmp_path: Path) -> None:
    url, started = database_url_for(tmp_path, {"DATABASE_URL": "postgresql://u@h/d"})
    assert (url, started) == ("postgresql://u@h/d", None)
    assert not (tmp_path / ".sentinel").exists()


async def test_scope_answers_503_while_down_and_recovers_by_itself(
    server: EmbeddedPostgres, caplog: pytest.LogCaptureFixture
) -> None:
    server.start()
    db = Database(server.url(), connect_timeout_s=2)
    try:
        async with db.scope() as scope:
            await scope.session.execute(text("CREATE TABLE IF NOT EXISTS hits (n int)"))
        server.stop()
        caplog.set_level(logging.WARNING, logger="sentinel.db")
        with pytest.raises(ServiceUnavailable) as raised:
            async with db.scope() as scope:
                await scope.session.execute(text("INSERT INTO hits VALUES (1)"))
        assert raised.value.status == 503
        assert raised.value.__cause__ is not None
        warnings = [r for r in caplog.records if r.name == "sentinel.db"]
        assert len(warnings) == 1 and "\n" not in warnings[0].getMessage()
        assert warnings[0].exc_info is None
        assert not await db.ping()

        server.start()  # same Database object: no app restart
        async with db.scope() as scope:
            await scope.session.execute(text("INSERT INTO hits VALUES (2)"))
        async with db.scope() as scope:
            count = (await scope.session.execute(text("SELECT count(*) FROM hits"))).scalar()
        assert count == 1
    finally:
        await db.dispose()


async def count_rows(args: None, context: object) -> int:
    session = context.session  # type: ignore[attr-defined]
    return int((await session.execute(text("SELECT count(*) FROM pg_class"))).scalar() > 0)


async def test_the_app_answers_503_json_during_an_outage_and_recovers(
    server: EmbeddedPostgres,
) -> None:
    import httpx

    from sentinel_spec.contract.declarations import AppDecl, Operation
    from sentinel_spec.runtime.app import create_app

    decl = AppDecl(
        name="T",
        title="T",
        operations=(Operation("countRows", "count-rows", "query", count_rows),),
        metadata=object(),  # any non-None metadata: the app has a database
    )
    server.start()
    app = create_app(decl, environ={"DATABASE_URL": server.url()}, dotenv=None)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        assert (await client.post("/operations/count-rows")).json() == 1

        server.stop()
        down = await client.post("/operations/count-rows")
        assert down.status_code == 503
        error = down.json()["error"]
        assert error["code"] == "unavailable"
        assert error["requestId"] == down.headers["x-request-id"]
        assert "Traceback" not in down.text

        server.start()  # the same app, never restarted
        assert (await client.post("/operations/count-rows")).json() == 1

        # Restarted between two requests, with no request while it was down: the
        # pooled connection is stale, so at most one call fails before reconnecting.
        server.stop()
        server.start()
        statuses = [(await client.post("/operations/count-rows")).status_code for _ in range(3)]
        assert statuses in ([200, 200, 200], [503, 200, 200])

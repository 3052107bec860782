"""Fixtures for realtime tests: a database with the realtime tables, servers of the test
app (in this process, or as separate processes for the cross-instance tests)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest


@pytest.fixture
def realtime_db(database_url: str) -> str:
    """``database_url`` with the realtime tables created; a libpq URL."""
    import sqlalchemy as sa

    from sentinel_spec.runtime.db.urls import libpq_url
    from sentinel_spec.runtime.realtime.tables import define_realtime_tables

    metadata = sa.MetaData()
    define_realtime_tables(metadata)
    engine = sa.create_engine(database_url)
    metadata.create_all(engine)
    engine.dispose()
    return libpq_url(database_url)


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

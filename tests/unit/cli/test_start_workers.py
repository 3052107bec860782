"""``sentinel start --workers`` defaults to one process per usable core, except when
limits count in process memory (then each worker would allow the whole limit)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sentinel_spec import cli
from sentinel_spec.appspec import EnvValue, RateLimit, ServerRateLimit


def spec(*, auth: bool = False, storage: Any = "memory://", default: bool = False) -> Any:
    limit = ServerRateLimit(
        default=RateLimit("300/minute", 300, 60) if default else None, storage=storage
    )
    server = SimpleNamespace(rate_limit=limit)
    app = SimpleNamespace(server=server, auth=object() if auth else None)
    return SimpleNamespace(app=app, operations=[], apis=[])


@pytest.fixture
def four_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)


def test_an_app_without_limits_gets_a_worker_per_core(four_cores: None) -> None:
    assert cli.default_workers(spec()) == (4, None)


def test_limits_in_memory_keep_one_worker_and_say_why(four_cores: None) -> None:
    for limited in (spec(default=True), spec(auth=True)):
        workers, reason = cli.default_workers(limited)
        assert workers == 1
        assert reason is not None and "memory://" in reason and "--workers" in reason


def test_limits_in_redis_get_a_worker_per_core(
    four_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.default_workers(spec(auth=True, storage="redis://r:6379/0")) == (4, None)
    from_env = EnvValue("REDIS_URL", "memory://", required=False)
    monkeypatch.setenv("REDIS_URL", "redis://r:6379/0")
    assert cli.default_workers(spec(default=True, storage=from_env)) == (4, None)
    monkeypatch.delenv("REDIS_URL")
    assert cli.default_workers(spec(default=True, storage=from_env))[0] == 1


def test_a_process_pinned_to_one_core_gets_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cli.default_workers(spec(auth=True)) == (1, None)

"""The in-process cache of validated sessions: expiry, bounds, forgetting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sentinel_spec.runtime.auth.session_cache import SessionCache
from sentinel_spec.runtime.auth.sessions import SessionRecord, SessionTimeouts

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def record(session_id: str, user_id: str = "u1", expires_in: int = 3600) -> SessionRecord:
    return SessionRecord(
        id=session_id,
        user_id=user_id,
        family_id=None,
        method="email",
        created_at=NOW,
        last_seen_at=NOW,
        expires_at=NOW + timedelta(seconds=expires_in),
        ip="127.0.0.1",
        user_agent="test",
    )


def test_entries_live_ttl_seconds() -> None:
    clock = [100.0]
    cache = SessionCache(ttl=5, monotonic=lambda: clock[0])
    cache.put("d1", record("s1"), "user")
    assert cache.get("d1", NOW.timestamp()) is not None
    clock[0] += 4.9
    assert cache.get("d1", NOW.timestamp()) is not None
    clock[0] += 0.1
    assert cache.get("d1", NOW.timestamp()) is None
    assert len(cache) == 0


def test_absolute_expiry_is_checked_on_a_hit() -> None:
    cache = SessionCache(ttl=60)
    cache.put("d1", record("s1", expires_in=10), "user")
    assert cache.get("d1", NOW.timestamp() + 9) is not None
    assert cache.get("d1", NOW.timestamp() + 10) is None


def test_zero_ttl_disables_the_cache() -> None:
    cache = SessionCache(ttl=0)
    cache.put("d1", record("s1"), "user")
    assert cache.get("d1", NOW.timestamp()) is None


def test_bounded_oldest_dropped_first() -> None:
    cache = SessionCache(ttl=60, max_entries=2)
    for i in range(3):
        cache.put(f"d{i}", record(f"s{i}"), "user")
    assert cache.get("d0", NOW.timestamp()) is None
    assert cache.get("d2", NOW.timestamp()) is not None and len(cache) == 2


def test_forget_by_session_and_by_user() -> None:
    cache = SessionCache(ttl=60)
    cache.put("a", record("s1", "u1"), "user1")
    cache.put("b", record("s2", "u1"), "user1")
    cache.put("c", record("s3", "u2"), "user2")
    cache.forget_sessions(["s1"])
    assert cache.get("a", NOW.timestamp()) is None and cache.get("b", NOW.timestamp())
    cache.forget_user("u1")
    assert cache.get("b", NOW.timestamp()) is None and cache.get("c", NOW.timestamp())


def test_touch_interval_is_at_most_a_minute() -> None:
    assert SessionTimeouts(idle_seconds=1800).touch_every == 60
    assert SessionTimeouts(idle_seconds=120).touch_every == 12

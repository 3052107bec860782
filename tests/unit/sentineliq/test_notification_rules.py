"""SentinelIQ's notification rules that need no server: quiet hours and digest times in
the user's timezone, the backoff schedule, the webhook signature, the SSRF checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from types import SimpleNamespace

import pytest

from src.core.notifications import urls
from src.core.notifications.channels import webhook
from src.core.notifications.delivery import MAX_ATTEMPTS, retry_delay
from src.core.notifications.schedule import digest_due, dnd_until

UTC = dt.UTC


def prefs(**fields: object) -> SimpleNamespace:
    base = {
        "dndEnabled": True,
        "dndStartTime": "22:00",
        "dndEndTime": "07:00",
        "digestFrequency": "DAILY",
        "digestTime": "09:00",
        "lastDigestSentAt": None,
    }
    return SimpleNamespace(**{**base, **fields})


def at(hour: int, minute: int = 0, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # 2026-03-02 is a Monday


def test_quiet_hours_across_midnight_end_the_next_morning() -> None:
    assert dnd_until(prefs(), at(23, 30)) == at(7, 0, day=3)
    assert dnd_until(prefs(), at(3, 0)) == at(7, 0)
    assert dnd_until(prefs(), at(7, 0)) is None
    assert dnd_until(prefs(), at(12, 0)) is None
    assert dnd_until(prefs(dndEnabled=False), at(23, 30)) is None


def test_quiet_hours_within_a_day_and_in_the_users_timezone() -> None:
    lunch = prefs(dndStartTime="12:00", dndEndTime="13:30")
    # 11:15 UTC is 12:15 in Paris (UTC+1 in March): quiet until 13:30 Paris = 12:30 UTC.
    assert dnd_until(lunch, at(11, 15), "Europe/Paris") == at(12, 30)
    assert dnd_until(lunch, at(12, 45), "Europe/Paris") is None
    assert dnd_until(lunch, at(12, 45), "Not/AZone") == at(13, 30)  # unknown: UTC
    assert dnd_until(prefs(dndStartTime="09:00", dndEndTime="09:00"), at(9, 0)) is None


def test_digests_are_due_once_per_period_at_the_users_hour() -> None:
    daily = prefs()
    assert digest_due(daily, at(9, 0)) and not digest_due(daily, at(10, 0))
    assert digest_due(daily, at(8, 0), "Europe/Paris")  # 09:00 in Paris
    daily.lastDigestSentAt = at(9, 0)
    assert not digest_due(daily, at(9, 30))
    assert digest_due(daily, at(9, 0, day=3))
    weekly = prefs(digestFrequency="WEEKLY")
    assert digest_due(weekly, at(9, 0, day=2)) and not digest_due(weekly, at(9, 0, day=3))
    hourly = prefs(digestFrequency="HOURLY", lastDigestSentAt=at(9, 0))
    assert not digest_due(hourly, at(9, 30)) and digest_due(hourly, at(10, 0))
    assert not digest_due(prefs(digestFrequency="REALTIME"), at(9, 0))


def test_backoff_is_60_then_300_seconds_over_three_attempts() -> None:
    assert MAX_ATTEMPTS == 3
    assert [retry_delay(n) for n in (1, 2)] == [60, 300]


def test_the_webhook_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"id":"d1"}'
    expected = hmac.new(b"k" * 32, b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhook.sign("k" * 32, "1700000000", body) == "v1=" + expected
    assert webhook.sign("k" * 32, "1700000001", body) != "v1=" + expected


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "https://127.0.0.1/x",
        "https://10.0.0.8/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[fd00::1]/x",
        "https://0.0.0.0/x",
        "https://u:p@example.com/x",
        "https:///nohost",
    ],
)
async def test_production_refuses_unsafe_targets(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINEL_ENV", "production")
    with pytest.raises(urls.UnsafeUrl):
        await urls.check_target(url)


async def test_public_https_targets_and_local_ones_in_tests_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENTINEL_ENV", "production")
    await urls.check_target("https://8.8.8.8/hook")
    monkeypatch.setenv("SENTINEL_ENV", "test")
    await urls.check_target("http://127.0.0.1:8080/hook")

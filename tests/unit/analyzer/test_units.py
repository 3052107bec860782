"""Durations, sizes and rate limits: the unit-bearing strings of the spec."""

from __future__ import annotations

import pytest

from sentinel_spec.analyzer.units import parse_duration, parse_rate, parse_size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("30m", 1800), ("12h", 43200), ("30d", 2592000), ("2w", 1209600)],
)
def test_duration_in_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["30", "m", "30 minutes", "1.5h", "-1m", "30M", "", "0s", "0d"])
def test_malformed_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [("512b", 512), ("512kb", 524288), ("10mb", 10485760), ("1gb", 1073741824), ("10MB", 10485760)],
)
def test_size_in_bytes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["10", "10 megs", "5tb", "1.5mb", "mb"])
def test_malformed_size(text: str) -> None:
    assert parse_size(text) is None


@pytest.mark.parametrize(
    ("text", "limit", "per"),
    [
        ("5/hour", 5, 3600),
        ("300/minute", 300, 60),
        ("10/second", 10, 1),
        ("1000/day", 1000, 86400),
        ("100/10 minutes", 100, 600),
        ("7/h", 7, 3600),
        ("7/s", 7, 1),
        ("2/days", 2, 86400),
        ("100/10 seconds", 100, 10),
    ],
)
def test_rate_limit(text: str, limit: int, per: int) -> None:
    assert parse_rate(text) == (limit, per)


@pytest.mark.parametrize(
    "text",
    ["5 per hour", "5/fortnight", "0/hour", "5/0 minutes", "/hour", "5/ms", "5/ss", "5/hs", "5/ds"],
)
def test_malformed_rate_limit(text: str) -> None:
    assert parse_rate(text) is None

"""Parsing of the unit-bearing strings of the spec: durations, byte sizes and rate limits.

Each parser returns ``None`` for a malformed string and raises ``LiteralError`` for a
well-formed one whose number is out of range (``literals.read_count``); the caller owns
the diagnostic, because only it knows which field (and which span) the string came from.
"""

from __future__ import annotations

import re

from sentinel_spec.literals import read_count

_DURATION = re.compile(r"^(\d+)\s*(s|m|h|d|w)$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}

_SIZE = re.compile(r"^(\d+)\s*(b|kb|mb|gb)$", re.IGNORECASE)
# Binary multiples, matching the defaults of ``appspec.BodyLimits`` (1 MiB, 10 MiB).
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}

# A plural ``s`` only after a long unit: "5/ms" or "5/ss" must not read as 5 per minute.
_RATE = re.compile(r"^(\d+)\s*/\s*(\d+\s*)?(?:(second|minute|hour|day)s?|(s|m|h|d))$")
_RATE_UNITS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
}

DURATION_EXAMPLE = '"30m"'
SIZE_EXAMPLE = '"10mb"'
RATE_EXAMPLE = '"5/hour"'


def parse_duration(text: str) -> int | None:
    """``"30m"`` -> 1800 seconds; units s, m, h, d, w. Zero is invalid: never meant."""
    match = _DURATION.match(text.strip())
    if match is None:
        return None
    seconds = read_count(match.group(1), _DURATION_UNITS[match.group(2)])
    return seconds or None


def parse_size(text: str) -> int | None:
    """``"10mb"`` -> 10485760 bytes; units b, kb, mb, gb (case-insensitive, 1024-based)."""
    match = _SIZE.match(text.strip())
    if match is None:
        return None
    return read_count(match.group(1), _SIZE_UNITS[match.group(2).lower()])


def parse_rate(text: str) -> tuple[int, int] | None:
    """``"5/hour"`` -> (5, 3600); ``"100/10 minutes"`` -> (100, 600). Zero counts are invalid."""
    match = _RATE.match(text.strip())
    if match is None:
        return None
    limit = read_count(match.group(1))
    window = read_count(
        match.group(2).strip() if match.group(2) else "1",
        _RATE_UNITS[match.group(3) or match.group(4)],
    )
    if limit == 0 or window == 0:
        return None
    return limit, window

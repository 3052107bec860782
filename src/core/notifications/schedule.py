"""Time rules of a user's preferences: do-not-disturb windows and digest due times,
both in the user's own timezone (``User.timezone``, an IANA name; UTC when unknown)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DIGEST_PERIOD = {
    "HOURLY": datetime.timedelta(hours=1),
    "DAILY": datetime.timedelta(days=1),
    "WEEKLY": datetime.timedelta(days=7),
}
# A run a few minutes early still counts (cron ticks and job start-up drift).
_SLACK = datetime.timedelta(minutes=5)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hhmm(value: str) -> datetime.time:
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def dnd_until(
    pref: Any, now: datetime.datetime, timezone: str | None = None
) -> datetime.datetime | None:
    """When the user's quiet hours end, if ``now`` is inside them (else None).
    A window may span midnight (22:00-07:00); equal start and end mean no window."""
    if pref is None or not pref.dndEnabled or not pref.dndStartTime or not pref.dndEndTime:
        return None
    start, end = _hhmm(pref.dndStartTime), _hhmm(pref.dndEndTime)
    if start == end:
        return None
    local = now.astimezone(_zone(timezone))
    clock = local.time().replace(second=0, microsecond=0)
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # across midnight
        inside = clock >= start or clock < end
        end_day = local.date() + datetime.timedelta(days=1 if clock >= start else 0)
    if not inside:
        return None
    ends = datetime.datetime.combine(end_day, end, tzinfo=local.tzinfo)
    return ends.astimezone(datetime.UTC)


def digest_due(pref: Any, now: datetime.datetime, timezone: str | None = None) -> bool:
    """Is this user's digest due at ``now`` (an hourly tick)?

    HOURLY: every hour. DAILY: in the hour of ``digestTime``. WEEKLY: the same, on
    Mondays. Never twice within one period."""
    frequency = getattr(pref.digestFrequency, "value", pref.digestFrequency)
    period = DIGEST_PERIOD.get(frequency)
    if period is None:
        return False
    last = pref.lastDigestSentAt
    if last is not None and now - last < period - _SLACK:
        return False
    if frequency == "HOURLY":
        return True
    local = now.astimezone(_zone(timezone))
    if local.hour != _hhmm(pref.digestTime or "09:00").hour:
        return False
    return frequency == "DAILY" or local.weekday() == 0

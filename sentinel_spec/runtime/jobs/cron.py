"""Five-field cron expressions: judged here for the compiler (``sentinel check``) and for the
job scheduler alike, so a schedule the spec accepts is one the scheduler runs; and the
ticks the scheduler (``schedule.py``) defers, in a job's own timezone.

Plain numeric crons are judged without croniter (importing it costs a build ~15 ms);
anything else (names, ``L``, ``W``, ``#``) is croniter's call, which the scheduler uses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

CRON_FIELDS = (
    ("minute", "0-59"),
    ("hour", "0-23"),
    ("day", "1-31"),
    ("month", "1-12"),
    ("weekday", "0-6 or SUN-SAT"),
)


_CRON_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
# Bounded counts: a longer number is not plain, and croniter (which reads it safely) decides
# (int() of 4,301 digits raises).
_PLAIN_CRON_ITEM = re.compile(r"(\*|(\d{1,9})(?:-(\d{1,9}))?)(?:/(\d{1,9}))?")


def _plainly_valid(field: str, bounds: tuple[int, int]) -> bool:
    """``*``, ``n``, ``a-b``, each with an optional ``/step``, comma-separated, in bounds."""
    low, high = bounds
    for item in field.split(","):
        match = _PLAIN_CRON_ITEM.fullmatch(item)
        if match is None:
            return False
        _, start, end, step = match.groups()
        if step is not None and int(step) == 0:
            return False
        if start is not None:
            first, last = int(start), int(end) if end is not None else int(start)
            if not low <= first <= last <= high:
                return False
    return True


def cron_problem(text: str) -> str | None:
    """What is wrong with a five-field cron expression, or None when it is valid."""
    fields = text.split()
    if len(fields) != len(CRON_FIELDS):
        return (
            f"it has {len(fields)} field(s); a cron has five (minute hour day month weekday), "
            'like "0 1 * * *"'
        )
    if all(_plainly_valid(f, bounds) for f, bounds in zip(fields, _CRON_BOUNDS, strict=True)):
        return None
    # Anything beyond plain numbers (names, L, W, #...): croniter, which the job runner
    # uses too, decides. Imported only here: it costs every build 15 ms.
    from croniter import croniter

    if croniter.is_valid(text):
        return None
    for index, (name, allowed) in enumerate(CRON_FIELDS):
        alone = ["*"] * len(CRON_FIELDS)
        alone[index] = fields[index]
        if not croniter.is_valid(" ".join(alone)):
            return f"the {name} field `{fields[index]}` is not valid ({allowed})"
    return "the fields do not combine into a valid schedule"


# ---------------------------------------------------------------- ticks (the scheduler's side)


def next_tick(text: str, zone: ZoneInfo, after: datetime) -> datetime:
    """The first tick strictly after ``after``, reading the fields in ``zone`` (so
    ``0 9 * * *`` in Europe/Paris is 08:00 UTC in winter, 07:00 in summer); in UTC."""
    from croniter import croniter

    tick: datetime = croniter(text, after.astimezone(zone)).get_next(datetime)
    return tick.astimezone(UTC)


def latest_tick(text: str, zone: ZoneInfo, at: datetime) -> datetime:
    """The last tick at or before ``at``, in UTC."""
    from croniter import croniter

    # croniter's get_prev is strict: start a second later so ``at`` itself counts.
    start = (at + timedelta(seconds=1)).astimezone(zone)
    tick: datetime = croniter(text, start).get_prev(datetime)
    return tick.astimezone(UTC)

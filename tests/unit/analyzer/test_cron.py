"""Cron checks: plain numeric crons are judged without croniter, and agree with it."""

from __future__ import annotations

import itertools

from croniter import croniter

from sentinel_spec.runtime.jobs.cron import cron_problem

PIECES = ("*", "*/5", "0", "59", "60", "1-5", "5-1", "0-23/2", "*/0", "3,7", "1-31", "7", "24")


def test_the_fast_path_never_accepts_what_croniter_refuses() -> None:
    # Every combination of the pieces in the first three fields, the rest varied too.
    for minute, hour, day in itertools.product(PIECES, repeat=3):
        for month, weekday in (("*", "*"), ("1-12", "0-6"), ("13", "7"), ("*/0", "MON")):
            expression = f"{minute} {hour} {day} {month} {weekday}"
            assert (cron_problem(expression) is None) == croniter.is_valid(expression), expression


def test_problems_name_the_field() -> None:
    assert cron_problem("0 25 * * *") == "the hour field `25` is not valid (0-23)"
    assert cron_problem("0 1 * * MON") is None

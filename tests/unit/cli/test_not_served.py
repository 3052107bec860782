"""``sentinel dev`` prints one line per declared feature not served yet: at the first good
build and when a save changes the list, never on every reload; its workers stay quiet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.contract.features import REPORTED_ENV, unserved
from sentinel_spec.devserver.reload import DevServer

REPO = Path(__file__).resolve().parents[3]


def test_dev_prints_the_lines_once_and_again_only_when_they_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = load_spec(REPO / "app.sq")  # SentinelIQ: jobs, rate limits, auth, Sentry ...
    server = DevServer(REPO, environ={})
    server._report_not_served(spec)
    first = capsys.readouterr().err.splitlines()
    jobs_line = (
        "sentinel dev: not served yet: jobs (job calculateDailyStats, job cleanupAuditLogs): "
        "jobs never run; context.jobs raises FeatureNotAvailable"
    )
    assert jobs_line in first
    assert [line for line in first if "not served yet: rateLimit" in line]
    assert len(first) == len(unserved(spec.declared_features()))  # email is served
    assert server.worker_env[REPORTED_ENV] == "1"

    server._report_not_served(spec)  # a save that changes nothing of it
    assert capsys.readouterr().err == ""

    server._report_not_served(replace(spec, jobs=()))  # the jobs were removed
    again = capsys.readouterr().err.splitlines()
    assert not [line for line in again if "not served yet: jobs" in line]
    assert len(again) == len(first) - 2  # jobs and cron are gone

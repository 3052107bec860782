"""``job`` options the runtime added: ``startAfter`` as an ISO date, ``app.jobs`` retention."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.contract.jobs import JobsConfig
from sentinel_spec.errors import SpecErrors

APP = 'app A {{\n  title: "A",\n{app}}}\n'
JOB = """job later {{
  executor: PgBoss,
  perform: {{
    fn: import {{ later }} from "@src/jobs",
    executorOptions: {{ pgBoss: {{=json {options} json=}} }},
  }},
}}
"""


def spec(tmp_path: Path, options: str = "{}", app: str = "") -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "__init__.py").write_text("")
    (tmp_path / "src" / "jobs.py").write_text("async def later(args, context):\n    pass\n")
    path = tmp_path / "app.sq"
    path.write_text(APP.format(app=app) + JOB.format(options=options))
    return path


def test_start_after_takes_seconds_or_an_iso_date(tmp_path: Path) -> None:
    seconds = load_spec(spec(tmp_path, '{ "startAfter": 90 }')).jobs[0].options
    assert (seconds.start_after_seconds, seconds.start_after_date) == (90, None)
    dated = load_spec(spec(tmp_path, '{ "startAfter": "2027-01-31T09:00:00Z" }')).jobs[0].options
    assert (dated.start_after_seconds, dated.start_after_date) == (None, "2027-01-31T09:00:00Z")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('{ "startAfter": "next tuesday" }', "must be seconds or an ISO date"),
        ('{ "startAfter": true }', "must be an integer or a string"),
        ('{ "retryLimit": -1 }', "must not be negative"),
    ],
)
def test_bad_job_options_are_located_errors(tmp_path: Path, options: str, message: str) -> None:
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec(tmp_path, options))
    (error,) = raised.value.errors
    assert message in error.message and "pgBoss option" in error.message
    assert (error.span.line, error.span.column) == (8, 32)  # the JSON block


def test_app_jobs_sets_the_retention(tmp_path: Path) -> None:
    config = load_spec(spec(tmp_path, app='  jobs: { retention: "3d", failedRetention: "2w" },\n'))
    assert config.app.jobs == JobsConfig(
        retention_seconds=3 * 86400, failed_retention_seconds=14 * 86400
    )
    assert load_spec(spec(tmp_path)).app.jobs == JobsConfig()


def test_a_bad_retention_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec(tmp_path, app='  jobs: { retention: "a week" },\n'))
    (error,) = raised.value.errors
    assert (error.span.line, error.span.column) == (3, 22)
    assert "duration" in error.message

"""The ``sentinel`` commands through click's CliRunner, on a real starter project."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sentinel_spec.cli import main
from sentinel_spec.commands.scaffold import create_project
from tests.stand_ins import pretend_unserved

COMMANDS = ["check", "build", "routes", "start", "dev", "new", "db"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    create_project(tmp_path / "demo")
    return tmp_path / "demo"


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_for_every_command(runner: CliRunner, command: str) -> None:
    code, out = invoke(runner, command, "--help")
    assert code == 0
    assert "Usage: main" in out or "Usage: sentinel" in out or "Usage:" in out
    assert command in out


def test_group_help_lists_every_command(runner: CliRunner) -> None:
    code, out = invoke(runner, "--help")
    assert code == 0
    for command in COMMANDS:
        assert f"  {command} " in out


def test_check_valid_spec(runner: CliRunner, project: Path) -> None:
    code, out = invoke(runner, "check", "--project", str(project))
    assert code == 0
    assert out.startswith("app.sq OK: app Demo")


def test_check_reports_every_error_with_position(runner: CliRunner, project: Path) -> None:
    spec = project / "app.sq"
    text = spec.read_text().replace("entities: [Note],", "entities: [Nte],", 1)
    spec.write_text(text.replace('"@src/health"', '"@src/helth"'))
    code, out = invoke(runner, "check", "--project", str(project))
    assert code == 1
    assert "app.sq:" in out and ": error: " in out
    assert "Nte" in out and "helth" in out
    assert "^" in out
    assert "error" in out.splitlines()[-1]


def test_missing_project_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    code, out = invoke(runner, "check", "--project", str(tmp_path))
    assert code == 2
    assert "sentinel new NAME" in out


def test_build_then_check_is_fresh_and_stale_after_an_edit(
    runner: CliRunner, project: Path
) -> None:
    code, out = invoke(runner, "build", "--project", str(project))
    assert code == 0, out
    assert (project / "generated" / "server.py").is_file()
    assert invoke(runner, "build", "--check", "--project", str(project)) == (
        0,
        "generated/ is up to date\n",
    )
    spec = project / "app.sq"
    spec.write_text(spec.read_text().replace("/api/health", "/api/healthz"))
    before = {p: p.read_bytes() for p in (project / "generated").rglob("*") if p.is_file()}
    code, out = invoke(runner, "build", "--check", "--project", str(project))
    assert code == 1
    assert "generated/ is stale" in out and "generated/" in out.splitlines()[1]
    after = {p: p.read_bytes() for p in (project / "generated").rglob("*") if p.is_file()}
    assert before == after  # --check writes nothing


def test_routes_table(runner: CliRunner, project: Path) -> None:
    code, out = invoke(runner, "routes", "--project", str(project))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "KIND", "AUTH", "HANDLER"]
    rows = [line.split() for line in lines[1:]]
    assert ["POST", "/operations/get-notes", "query", "no", "src.notes:get_notes"] in rows
    assert ["POST", "/operations/create-note", "action", "no", "src.notes:create_note"] in rows
    assert ["GET", "/api/health", "api", "no", "src.health:health"] in rows
    assert ["GET", "/", "page", "no", "src.pages:home_page"] in rows
    assert ["GET", "/openapi.json", "openapi", "no", "(generated)"] in rows


def test_new_creates_a_project_that_checks(runner: CliRunner, in_tmp: Path) -> None:
    code, out = invoke(runner, "new", "shop")
    assert code == 0, out
    assert "cd shop" in out and "sentinel dev" in out
    assert (in_tmp / "shop" / "generated" / "server.py").is_file()
    assert invoke(runner, "check", "--project", "shop")[0] == 0
    assert invoke(runner, "build", "--check", "--project", "shop")[0] == 0
    code, out = invoke(runner, "new", "shop")
    assert code == 1 and "not empty" in out


def test_start_without_database_url_explains(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code, out = invoke(runner, "start", "--project", str(project))
    assert code == 1
    assert "needs DATABASE_URL" in out and "sentinel dev" in out


def test_check_counts_in_words_and_warns_about_unserved_features(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_unserved(monkeypatch, "rateLimit")  # served; kept as the example of one that is not
    spec = project / "app.sq"
    text = spec.read_text()
    assert "rateLimit" not in text
    code, out = invoke(runner, "check", "--project", str(project))
    assert code == 0
    assert out.splitlines()[0] == "app.sq OK: app Demo, 1 entity, 2 operations, 1 api, 1 page"
    assert "not served yet" not in out  # the starter declares nothing unserved
    limited = 'entities: [Note],\n  rateLimit: { limit: "5/minute" },'
    spec.write_text(text.replace("entities: [Note],", limited, 1))
    code, out = invoke(runner, "check", "--project", str(project))
    assert code == 0, out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(set(warnings)) == 1  # (invoke shows stderr twice: output holds it too)
    assert warnings[0].startswith("warning: not served yet: rateLimit (")
    assert "429" in warnings[0]


def test_new_quotes_a_folder_name_with_a_space(runner: CliRunner, in_tmp: Path) -> None:
    code, out = invoke(runner, "new", "My App")
    assert code == 0, out
    assert "cd 'My App'" in out
    assert (in_tmp / "My App" / "generated" / "server.py").is_file()

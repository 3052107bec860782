"""Acceptance: ``sentinel fmt`` as a subprocess on real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.servers import SENTINEL, sentinel

pytestmark = pytest.mark.slow

MESSY = 'app A {title:"A",} // the app\nenum   Role {X Y}\n'
TIDY = 'app A { title: "A" } // the app\nenum Role { X Y }\n'


def test_check_lists_the_files_that_would_change_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text(MESSY)
    (tmp_path / "other.sq").write_text(TIDY)
    checked = sentinel("fmt", "--check", str(tmp_path), cwd=tmp_path)
    assert checked.returncode == 1
    assert f"would reformat {tmp_path / 'app.sq'}" in checked.stdout
    assert "other.sq" not in checked.stdout
    assert (tmp_path / "app.sq").read_text() == MESSY  # --check writes nothing


def test_fmt_rewrites_the_project_spec_and_then_check_passes(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text(MESSY)
    formatted = sentinel("fmt", cwd=tmp_path)
    assert formatted.returncode == 0, formatted.stderr
    assert (tmp_path / "app.sq").read_text() == TIDY
    again = sentinel("fmt", "--check", cwd=tmp_path)
    assert again.returncode == 0
    assert "1 file(s) already formatted" in again.stdout


def test_a_spec_with_syntax_errors_is_refused_and_left_alone(tmp_path: Path) -> None:
    broken = 'app A {\n  title: "A"\n  auth: {\n}\n'
    (tmp_path / "app.sq").write_text(broken)
    result = sentinel("fmt", cwd=tmp_path)
    assert result.returncode == 1
    assert "app.sq:3:3: error:" in result.stderr
    assert "not formatted" in result.stderr
    assert (tmp_path / "app.sq").read_text() == broken


def test_stdin_to_stdout_for_editors(tmp_path: Path) -> None:
    result = subprocess.run(
        [*SENTINEL, "fmt", "-"], input=MESSY, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0
    assert result.stdout == TIDY

"""Acceptance: ``sentinel import-wasp`` as a subprocess, then ``sentinel build`` on the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import sentinel

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "wasp"


def test_import_then_build(tmp_path: Path) -> None:
    imported = sentinel("import-wasp", str(DATA / "kitchen-sink"), "--out", "app", cwd=tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "main.wasp:17:7: not carried over: app.auth.methods.slack" in imported.stdout
    assert "app.sq checks" in imported.stdout
    built = sentinel("build", cwd=tmp_path / "app")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "app" / "generated" / "server.py").is_file()


def test_refuses_to_overwrite_and_reports_syntax_errors(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text("// mine\n")
    refused = sentinel("import-wasp", str(DATA / "open-saas"), cwd=tmp_path)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert (tmp_path / "app.sq").read_text() == "// mine\n"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.wasp").write_text('app A {\n  title: "A"\n  auth {}\n}\n')
    bad = sentinel("import-wasp", str(broken), "--out", "out", cwd=tmp_path)
    assert bad.returncode == 1
    assert "main.wasp:3:3: expected `}`, found `auth`" in bad.stderr
    assert not (tmp_path / "out" / "app.sq").exists()


def test_a_result_that_does_not_check_exits_1_with_the_errors(tmp_path: Path) -> None:
    wasp = tmp_path / "wasp"
    wasp.mkdir()
    (wasp / "main.wasp").write_text(
        'app A { title: "A" }\nquery q { fn: import { q } from "@src/q", entities: [Ghost] }\n'
    )
    result = sentinel("import-wasp", str(wasp), "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "app.sq:" in result.stderr and "Ghost" in result.stderr
    assert (tmp_path / "out" / "app.sq").is_file()

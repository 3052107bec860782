"""Acceptance: ``sentinel deploy-files`` writes the files once and never overwrites silently."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.servers import sentinel

pytestmark = pytest.mark.slow


def test_writes_the_files_then_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert sentinel("new", "shop", cwd=tmp_path).returncode == 0
    project = tmp_path / "shop"
    first = sentinel("deploy-files", cwd=project)
    assert first.returncode == 0, first.stderr
    names = {"Dockerfile", ".dockerignore", "compose.yaml", ".env.example", "requirements.txt"}
    assert {n for n in names if (project / n).is_file()} == names
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    assert "worker" not in services  # the starter declares no job
    (project / "Dockerfile").write_text("# mine\n")
    again = sentinel("deploy-files", cwd=project)
    assert again.returncode == 1
    assert "already exist" in again.stderr and "--force" in again.stderr
    assert (project / "Dockerfile").read_text() == "# mine\n"
    forced = sentinel("deploy-files", "--force", cwd=project)
    assert forced.returncode == 0
    assert "FROM python:" in (project / "Dockerfile").read_text()

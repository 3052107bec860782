"""``python -m sentinel_spec.cli`` runs the CLI (the docs and the contributors' notes use
it to run a checkout's own copy); it once imported the module and did nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sentinel_spec.commands.scaffold import create_project

REPO = Path(__file__).resolve().parents[3]


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    create_project(tmp_path / "demo")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "sentinel_spec.cli", "check"],
        cwd=tmp_path / "demo",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "app.sq OK: app " in done.stdout

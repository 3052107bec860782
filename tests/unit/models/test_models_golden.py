"""Golden files: the generated models.py of each case in ``tests/golden/models/<case>/expected``.

``UPDATE_GOLDEN=1 pytest tests/models`` rewrites them; review the diff before committing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.appspec import AppSpec
from tests.golden_files import GOLDEN, check_text
from tests.model_specs import CASES, models_source

MODELS = GOLDEN / "models"
REPO = Path(__file__).parents[3]
# Cases written as app.sq go through the real parser and analyzer.
SQ_CASES = sorted(p.parent.name for p in MODELS.glob("*/app.sq"))
ALL_CASES = sorted([*CASES, *SQ_CASES])


def case_spec(case: str) -> AppSpec:
    if case in CASES:
        return CASES[case]()
    return load_spec(MODELS / case / "app.sq")


@pytest.mark.parametrize("case", ALL_CASES)
def test_models_match_golden(case: str) -> None:
    source = models_source(case_spec(case))
    check_text(MODELS / case / "expected" / "models.py", source)


def test_generation_is_deterministic() -> None:
    spec = CASES["every_form"]()
    assert models_source(spec) == models_source(spec)


@pytest.mark.parametrize("case", ALL_CASES)
def test_output_passes_ruff(case: str, tmp_path: Path) -> None:
    target = tmp_path / "models.py"
    target.write_text(models_source(case_spec(case)), encoding="utf-8")
    config = ["--config", str(REPO / "pyproject.toml")]
    for command in (["check", *config], ["format", "--check", *config]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *command, str(target)], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr

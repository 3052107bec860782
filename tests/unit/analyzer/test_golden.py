"""Golden cases of the analyzer: valid specs dump their AppSpec, invalid ones their errors.

``UPDATE_GOLDEN=1`` rewrites the expected files (``tests/golden_files.py``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from sentinel_spec.analyzer import analyze
from sentinel_spec.appspec import AppSpec
from sentinel_spec.errors import render_errors
from sentinel_spec.parser import parse
from tests.golden_files import GOLDEN, check_text

ANALYZE = GOLDEN / "analyze"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (ANALYZE / kind).iterdir() if (p / "app.sq").is_file())


def _run(case: Path) -> tuple[AppSpec | None, str]:
    source = (case / "app.sq").read_text(encoding="utf-8")
    module, errors = parse(source, "app.sq")
    spec, analysis_errors = analyze(module, case, "app.sq")
    assert (spec is None) == bool(analysis_errors)
    # No rule may report what another (or the parser) already did.
    keys = [(e.span, e.message, e.hint) for e in errors + analysis_errors]
    assert len(set(keys)) == len(keys), "an error is reported twice"
    return spec, render_errors(errors + analysis_errors, {"app.sq": source})


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_dumps_its_appspec(case: Path) -> None:
    spec, rendered = _run(case)
    assert rendered == ""
    assert spec is not None
    tree = dataclasses.asdict(spec)
    # Keyed by (kind, name) tuples, which JSON cannot hold: "kind name": "line:column".
    tree["positions"] = {f"{k} {n}": f"{s.line}:{s.column}" for (k, n), s in spec.positions.items()}
    dump = json.dumps(tree, sort_keys=True, indent=2) + "\n"
    check_text(case / "expected.appspec.json", dump)


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case_reports_every_error(case: Path) -> None:
    spec, rendered = _run(case)
    assert spec is None
    assert rendered, "an invalid case must report at least one error"
    check_text(case / "expected.txt", rendered + "\n")


def test_there_are_enough_cases() -> None:
    assert len(_cases("valid")) >= 5
    assert len(_cases("invalid")) >= 40

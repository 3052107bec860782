"""Golden files: valid specs against their AST dump, invalid ones against rendered errors.

``UPDATE_GOLDEN=1`` rewrites the expected files (``tests/golden_files.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.errors import render_errors
from sentinel_spec.parser import parse
from tests.golden_files import GOLDEN, check_text
from tests.unit.parser.parser_ast_dump import dump

PARSE = GOLDEN / "parse"
VALID = sorted((PARSE / "valid").glob("*.sq"))
INVALID = sorted((PARSE / "invalid").glob("*.sq"))


def test_golden_sets_are_big_enough() -> None:
    assert len(VALID) >= 8
    assert len(INVALID) >= 15


@pytest.mark.parametrize("spec", VALID, ids=[p.stem for p in VALID])
def test_valid_spec_parses_to_expected_ast(spec: Path) -> None:
    source = spec.read_text(encoding="utf-8")
    module, errors = parse(source, spec.name)
    assert errors == [], render_errors(errors, {spec.name: source})
    check_text(spec.with_suffix(".ast.json"), dump(module))


@pytest.mark.parametrize("spec", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_spec_reports_expected_errors(spec: Path) -> None:
    source = spec.read_text(encoding="utf-8")
    _, errors = parse(source, spec.name)
    assert errors, "an invalid spec must report at least one error"
    check_text(spec.with_suffix(".errors.txt"), render_errors(errors, {spec.name: source}) + "\n")

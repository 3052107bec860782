"""Golden files: valid specs against their AST dump, invalid ones against rendered errors.

Run with ``UPDATE_GOLDEN=1`` to rewrite the expected files after an intended change,
then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from parser_ast_dump import dump

from sentinel_spec.errors import render_errors
from sentinel_spec.parser import parse

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "parse"
VALID = sorted((GOLDEN / "valid").glob("*.sq"))
INVALID = sorted((GOLDEN / "invalid").glob("*.sq"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(expected_path: Path, actual: str) -> None:
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.exists(), f"{expected_path.name} is missing: run with UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


def test_golden_sets_are_big_enough() -> None:
    assert len(VALID) >= 8
    assert len(INVALID) >= 15


@pytest.mark.parametrize("spec", VALID, ids=[p.stem for p in VALID])
def test_valid_spec_parses_to_expected_ast(spec: Path) -> None:
    source = spec.read_text(encoding="utf-8")
    module, errors = parse(source, spec.name)
    assert errors == [], render_errors(errors, {spec.name: source})
    check_golden(spec.with_suffix(".ast.json"), dump(module))


@pytest.mark.parametrize("spec", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_spec_reports_expected_errors(spec: Path) -> None:
    source = spec.read_text(encoding="utf-8")
    _, errors = parse(source, spec.name)
    assert errors, "an invalid spec must report at least one error"
    check_golden(spec.with_suffix(".errors.txt"), render_errors(errors, {spec.name: source}) + "\n")

"""Property tests: layout never changes meaning, and no input makes ``parse`` raise."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel_spec import ast
from sentinel_spec.errors import SpecError, render_errors
from sentinel_spec.parser import parse
from tests.unit.parser.parser_ast_dump import dump
from tests.unit.parser.spec_printer import Printer, specs

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def declared_names(module: ast.Module) -> list[str]:
    return [d.name.name for d in module.declarations]


@PROPERTY_SETTINGS
@given(spec=specs, seed=st.integers(min_value=0, max_value=2**32))
def test_layout_comments_and_trailing_commas_do_not_change_the_module(
    spec: list[Any], seed: int
) -> None:
    compact = Printer().spec(spec)
    loose = Printer(random.Random(seed)).spec(spec)
    compact_module, compact_errors = parse(compact)
    loose_module, loose_errors = parse(loose)
    assert compact_errors == [], render_errors(compact_errors, {"app.sq": compact})
    assert loose_errors == [], render_errors(loose_errors, {"app.sq": loose})
    assert declared_names(compact_module) == [
        decl[2] if decl[0] == "decl" else decl[1] for decl in spec
    ]
    assert dump(compact_module, spans=False) == dump(loose_module, spans=False)


def assert_well_formed(source: str, result: tuple[ast.Module, list[SpecError]]) -> None:
    module, errors = result
    assert isinstance(module, ast.Module)
    line_count = source.count("\n") + 1
    for error in errors:
        assert isinstance(error, SpecError)
        assert 1 <= error.span.line <= line_count
        assert 0 <= error.span.start_offset <= error.span.end_offset <= len(source)
    render_errors(errors, {"app.sq": source})  # rendering must not fail either


@PROPERTY_SETTINGS
@given(source=st.text())
def test_parse_never_raises_on_arbitrary_text(source: str) -> None:
    assert_well_formed(source, parse(source))


PUNCTUATION = list('{}[]()@,:"\\/*=?\n ')
FRAGMENTS = ["{=json", "json=}", "{=psl", "psl=}", "app ", "entity ", "enum ", "query "]
FRAGMENTS += ["import", "env", "true", "x", "1", "//", "/*"]
SPEC_ALPHABET = st.sampled_from(PUNCTUATION + FRAGMENTS)


@PROPERTY_SETTINGS
@given(
    spec=specs,
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 6), st.lists(SPEC_ALPHABET, max_size=3)),
        min_size=1,
        max_size=4,
    ),
)
def test_parse_never_raises_on_mutated_specs(
    spec: list[Any], edits: list[tuple[float, int, list[str]]]
) -> None:
    source = Printer(random.Random(len(spec))).spec(spec)
    for where, cut, insert in edits:
        at = int(where * len(source))
        source = source[:at] + "".join(insert) + source[at + cut :]
    assert_well_formed(source, parse(source))

"""Targeted parser behaviour: spans, recovery, values, speed and import cost."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.parse import ten_thousand_declarations
from sentinel_spec import ast
from sentinel_spec.errors import SourceSpan
from sentinel_spec.parser import parse
from tests.golden_files import GOLDEN
from tests.unit.parser.parser_ast_dump import dump

VALID = sorted((GOLDEN / "parse" / "valid").glob("*.sq"))


def spans_of(node: Any) -> Iterator[tuple[Any, SourceSpan]]:
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            if isinstance(value, SourceSpan):
                yield node, value
            else:
                yield from spans_of(value)
    elif isinstance(node, tuple):
        for item in node:
            yield from spans_of(item)


def line_column(source: str, offset: int) -> tuple[int, int]:
    return source.count("\n", 0, offset) + 1, offset - (source.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("spec", VALID, ids=[p.stem for p in VALID])
def test_every_span_agrees_with_its_offsets_and_text(spec: Path) -> None:
    source = spec.read_text(encoding="utf-8")
    module, _ = parse(source, spec.name)
    for node, span in spans_of(module):
        assert span.file == spec.name
        assert line_column(source, span.start_offset) == (span.line, span.column), node
        assert line_column(source, span.end_offset) == (span.end_line, span.end_column), node
        text = source[span.start_offset : span.end_offset]
        if isinstance(node, ast.Ident | ast.Ref):
            assert text.lstrip("@") == node.name
        if isinstance(node, ast.DictExpr | ast.ListExpr | ast.TupleExpr | ast.AttrList):
            assert text[0] + text[-1] in ("{}", "[]", "()")


def test_declarations_outside_broken_ones_are_kept() -> None:
    source = (
        "query a { fn: 1 }\n"
        "query broken { fn: }\n"
        "action b { x: [1, 2] }\n"
        "page alsoBroken { x: (1 2) }\n"
        "enum E { A }\n"
    )
    module, errors = parse(source)
    assert [d.name.name for d in module.declarations] == ["a", "b", "E"]
    assert [(e.span.line, e.span.column) for e in errors] == [(2, 20), (4, 25)]
    assert module.declarations[1].span.line == 3


def test_keywords_are_plain_keys_and_prefixed_words_are_refs() -> None:
    module, errors = parse("crud Cases { entity: Case, from: trueish, env: envy, import: x }")
    assert errors == []
    body = module.declarations[0].body  # type: ignore[union-attr]
    assert [e.key.name for e in body.entries] == ["entity", "from", "env", "import"]
    assert all(isinstance(e.value, ast.Ref) for e in body.entries)


def test_json_quoter_value_is_parsed_and_bad_json_is_reported_in_place() -> None:
    source = 'job j { a: {=json {"retryLimit": 3} json=}, b: {=json [1,] json=} }'
    module, errors = parse(source)
    entries = module.declarations[0].body.entries  # type: ignore[union-attr]
    assert entries[0].value == ast.JsonExpr(
        ' {"retryLimit": 3} ', {"retryLimit": 3}, entries[0].value.span
    )
    assert isinstance(entries[1].value, ast.JsonExpr) and entries[1].value.value is None
    assert len(errors) == 1 and errors[0].message.startswith("invalid JSON")
    assert (errors[0].span.line, errors[0].span.column) == (1, 58)
    assert source[errors[0].span.start_offset] == "]"  # where the JSON went wrong


def test_crlf_and_tabs_and_bom_parse_like_plain_newlines() -> None:
    plain = 'app A {\n  title: "x",\n  n: 1,\n}\nenum E { A\n B }\n'
    crlf = "\ufeff" + plain.replace("\n", "\r\n").replace("  ", "\t")
    plain_module, _ = parse(plain)
    crlf_module, errors = parse(crlf)
    assert errors == []
    assert dump(plain_module, spans=False) == dump(crlf_module, spans=False)
    assert crlf_module.declarations[1].span.line == 5


def test_file_name_reaches_spans_and_errors() -> None:
    module, errors = parse("app A { title: }", "other.sq")
    assert module.span.file == "other.sq"
    assert [e.span.file for e in errors] == ["other.sq"]


def test_errors_come_back_in_source_order() -> None:
    source = 'query a { x: 1, x: 2 }\nquery b { y: "\\q" }\nquery c { z: }\n'
    _, errors = parse(source)
    assert [e.span.line for e in errors] == [1, 2, 3]


def test_ten_thousand_small_declarations_all_parse() -> None:
    # How fast is bench/parse.py's business (a timing belongs in bench/, not here).
    module, errors = parse(ten_thousand_declarations())
    assert errors == [] and len(module.declarations) == 10_000


def test_importing_the_parser_does_not_import_lark() -> None:
    code = "import sys, sentinel_spec.parser; print('lark' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.stdout.strip() == "False"


def test_field_named_like_a_kind_does_not_split_its_entity_during_recovery() -> None:
    source = (
        "entity Visit {\nid Int @id\npage String\nroute String?\njob Int @default(1)\n}\n"
        'app Demo { title: "Demo" oops }\n'
    )
    module, errors = parse(source)
    assert [e.message for e in errors] == ['unexpected "oops", expected one of: ",", "}"']
    (visit,) = module.declarations
    assert isinstance(visit, ast.EntityDecl)
    assert [f.name.name for f in visit.fields] == ["id", "page", "route", "job"]

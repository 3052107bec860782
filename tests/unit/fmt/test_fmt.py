"""``sentinel fmt``'s layout rules, one example each, and the SentinelIQ spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.analyzer import analyze
from sentinel_spec.fmt import FormatRefused, format_source
from sentinel_spec.parser import parse
from tests.unit.fmt.shape import shape

REPO = Path(__file__).resolve().parents[3]


def fmt(source: str) -> str:
    out = format_source(source)
    assert format_source(out) == out, "not idempotent"
    return out


def test_entity_fields_are_aligned_in_columns_and_items_keep_their_order() -> None:
    source = (
        "entity Task { id Int @id @default(autoincrement()) description String\n"
        "@@index([description]) isDone Boolean @default(false) owner User? }"
    )
    assert fmt(source) == (
        "entity Task {\n"
        "  id          Int     @id @default(autoincrement())\n"
        "  description String\n"
        "  @@index([description])\n"
        "  isDone      Boolean @default(false)\n"
        "  owner       User?\n"
        "}\n"
    )


def test_psl_form_and_enums() -> None:
    assert fmt("enum Role{A,B ,C}\nentity T {=psl id Int @id psl=}") == (
        "enum Role { A B C }\nentity T {=psl\n  id Int @id\npsl=}\n"
    )


def test_bodies_break_unless_flat_and_simple() -> None:
    source = (
        'route Home {path:"/",to:HomePage,}\n'
        'query getTasks { fn: import { get_tasks } from "@src/queries", entities: [Task] }'
    )
    assert fmt(source) == (
        'route Home { path: "/", to: HomePage }\n'
        "query getTasks {\n"
        '  fn: import { get_tasks } from "@src/queries",\n'
        "  entities: [Task],\n"
        "}\n"
    )


def test_long_values_break_one_item_a_line_with_trailing_commas() -> None:
    names = ", ".join(f"EntityNumber{i}" for i in range(9))
    out = fmt(f"query q {{ entities: [{names}] }}")
    assert out.splitlines()[1] == "  entities: ["
    assert out.splitlines()[2] == "    EntityNumber0,"
    assert all(len(line) <= 100 for line in out.splitlines())


def test_keys_strings_and_numbers_keep_their_spelling() -> None:
    out = fmt('app A { title: "caf\\u00e9 \\"x\\"", z: 1e3, a: -0.5 }')
    assert out == 'app A { title: "caf\\u00e9 \\"x\\"", z: 1e3, a: -0.5 }\n'


def test_json_quoter_is_printed_from_its_value_and_broken_when_long() -> None:
    short = fmt('job j { args: {=json {"a":1,\n  "b":[true,null]} json=} }')
    assert 'args: {=json { "a": 1, "b": [true, null] } json=},' in short
    long_value = ", ".join(f'"key{i}": {i}' for i in range(12))
    out = fmt(f"job j {{ perform: {{ o: {{=json {{{long_value}}} json=}} }} }}")
    assert "    o: {=json {\n" in out
    assert '      "key0": 0,\n' in out
    assert "    } json=},\n" in out


def test_comments_stay_before_or_after_their_item() -> None:
    source = (
        "// header\n\n\n"
        "app A { // after the brace\n"
        '  title: "A", // trailing\n'
        "  /* before server */ server: {\n"
        '    setupFn: import { /* inside */ setup } from "@src/s",\n'
        "  },\n"
        "  // dangling at the end\n"
        "} // after the declaration\n"
        "/* block\n   over lines */\n"
        "enum E { A // a\n B }\n"
    )
    assert fmt(source) == (
        "// header\n"
        "\n"
        "app A {\n"
        "  // after the brace\n"
        '  title: "A", // trailing\n'
        "  /* before server */\n"
        "  server: {\n"
        "    /* inside */\n"
        '    setupFn: import { setup } from "@src/s",\n'
        "  },\n"
        "  // dangling at the end\n"
        "} // after the declaration\n"
        "/* block\n   over lines */\n"
        "enum E {\n  A // a\n  B\n}\n"
    )


def test_blank_lines_between_items_collapse_to_one() -> None:
    out = fmt("enum A { X }\n\n\n\nenum B { Y }\nenum C { Z }\n")
    assert out == "enum A { X }\n\nenum B { Y }\nenum C { Z }\n"


def test_crlf_and_a_bom_are_normalised() -> None:
    assert fmt("\ufeffenum A { X }\r\n// c\r\n") == "enum A { X }\n// c\n"


def test_a_file_with_syntax_errors_is_refused_with_positions() -> None:
    with pytest.raises(FormatRefused) as refused:
        format_source('query q {\n  fn: import { f } "@src/x",\n}\nentity {', "app.sq")
    errors = refused.value.errors
    assert [(e.span.line, e.span.column) for e in errors] == [(2, 20), (4, 8)]


def test_the_sentineliq_spec_formats_idempotently_to_the_same_appspec() -> None:
    source = (REPO / "app.sq").read_text()
    out = fmt(source)
    before, errors = analyze(parse(source)[0], REPO)
    after, errors_after = analyze(parse(out)[0], REPO)
    assert errors == errors_after == []
    assert shape(before) == shape(after)
    assert out.count("//") == source.count("//")

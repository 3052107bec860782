"""The table of kinds (``sentinel_spec/kinds.py``) is the one list: the grammar, the parser's
words, the schemas, the builders and AppSpec agree with it; and a new kind needs only the
steps of ``docs/adding-a-declaration-kind.md``, which a small fixture kind goes through."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sentinel_spec import appspec, kinds, load_spec, parser
from sentinel_spec import build as build_project
from sentinel_spec.analyzer import build, schema
from sentinel_spec.analyzer.build import BuildContext, _Body
from sentinel_spec.errors import SpecErrors
from sentinel_spec.generator.features import route_plan

REPO = Path(__file__).resolve().parents[3]
DOCS_PAGE = REPO / "docs" / "adding-a-declaration-kind.md"


def test_the_grammar_file_lists_the_tables_dict_kinds() -> None:
    grammar = (REPO / "sentinel_spec" / "grammar.lark").read_text(encoding="utf-8")
    line = re.search(r"^KIND\.2: .*$", grammar, re.MULTILINE)
    assert line is not None
    assert line.group() == parser._vocabulary().kind_terminal


def test_every_dict_kind_has_a_schema_and_a_builder_and_nothing_else_does() -> None:
    dict_kinds = {k.name for k in kinds.dict_kinds()}
    assert set(schema.DECL_SCHEMAS) == dict_kinds
    assert set(build.BUILDERS) == dict_kinds - {"app"}


def test_every_kind_fills_an_appspec_field() -> None:
    fields = {f.name for f in dataclasses.fields(appspec.AppSpec)}
    for k in kinds.KINDS:
        assert k.field in fields, k
    assert len(set(kinds.names())) == len(kinds.KINDS)


def test_the_parsers_words_come_from_the_table() -> None:
    assert kinds.names() == parser.DECLARATION_KINDS
    assert set(kinds.names()) <= parser.KEYWORDS


# ---------------------------------------------------------------- a fixture kind

PING = kinds.DeclKind("ping", "lower", "dict", "apis")  # a GET api in one line


def _ping(decl: object, context: BuildContext) -> appspec.Api:
    body = _Body(decl.body)  # type: ignore[attr-defined]
    fn = body.imp("fn")
    assert fn is not None
    return appspec.Api(decl.name.name, fn, "GET", body.string("path") or "/")  # type: ignore[attr-defined]


@pytest.fixture
def ping_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps of docs/adding-a-declaration-kind.md for `ping`, as a test applies them."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, PING))
    monkeypatch.setitem(
        schema.DECL_SCHEMAS,
        "ping",
        schema.dict_of(path=schema.req(schema.StrT()), fn=schema.req(schema.ImportT())),
    )
    monkeypatch.setitem(build.BUILDERS, "ping", _ping)


def _project(tmp_path: Path, declaration: str) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "health.py").write_text(
        "def live(request, context):\n    return {'ok': True}\n", encoding="utf-8"
    )
    spec = tmp_path / "app.sq"
    spec.write_text('app Pinged { title: "Pinged" }\n\n' + declaration, encoding="utf-8")
    return spec


def test_a_new_kind_goes_through_parse_check_build_routes_and_generation(
    ping_kind: None, tmp_path: Path
) -> None:
    spec_path = _project(
        tmp_path, 'ping liveness { path: "/livez", fn: import { live } from "@src/health" }\n'
    )
    spec = load_spec(spec_path)
    assert [(a.name, a.method, a.path) for a in spec.apis] == [("liveness", "GET", "/livez")]
    assert spec.position("ping", "liveness") is not None
    planned = [(r.kind, r.path, r.methods) for r in route_plan(spec)]
    assert ("api", "/livez", ("GET",)) in planned
    result = build_project(spec_path)
    assert "server.py" in result.written
    server = (tmp_path / "generated" / "server.py").read_text(encoding="utf-8")
    assert 'name="liveness"' in server and "fn=live" in server


def test_the_new_kind_gets_the_table_s_naming_rule_schema_and_keyword(
    ping_kind: None, tmp_path: Path
) -> None:
    spec_path = _project(
        tmp_path,
        'ping Liveness { path: "/livez", fn: import { live } from "@src/health", extra: 1 }\n'
        'query ping { fn: import { live } from "@src/health" }\n',
    )
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec_path)
    messages = [e.message for e in raised.value.errors]
    assert "ping name `Liveness` must start with a lowercase letter" in messages
    assert any("unknown field `extra` in ping `Liveness`" in m for m in messages)
    assert any("`ping`" in m and "keyword" in m for m in messages), messages


def test_without_the_fixture_the_kind_does_not_exist(tmp_path: Path) -> None:
    spec_path = _project(
        tmp_path, 'ping liveness { path: "/livez", fn: import { live } from "@src/health" }\n'
    )
    with pytest.raises(SpecErrors):
        load_spec(spec_path)


def test_the_docs_page_lists_the_files_a_new_kind_touches() -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    listed = re.findall(r"`((?:sentinel_spec|docs|tests)/[\w/.\-{}]+)`", page)
    # The registries this test's fixture had to extend, and nothing it did not.
    for needed in (
        "sentinel_spec/kinds.py",
        "sentinel_spec/analyzer/schema.py",
        "sentinel_spec/analyzer/build.py",
        "sentinel_spec/appspec.py",
        "sentinel_spec/contract/declarations.py",
        "sentinel_spec/generator/features/",
        "docs/language.md",
    ):
        assert any(item.startswith(needed) for item in listed), needed
    for item in listed:
        if "{" not in item and "<" not in item:
            assert (REPO / item).exists(), f"the page names {item}, which does not exist"

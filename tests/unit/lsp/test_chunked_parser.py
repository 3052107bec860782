"""The language server's piecewise parse gives exactly ``parse``'s module and errors."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel_spec.lsp.index import ChunkedParser
from sentinel_spec.parser import parse
from tests.unit.parser.spec_printer import Printer, specs

REPO = Path(__file__).resolve().parents[3]


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    first=specs,
    second=specs,
    seed=st.integers(0, 2**32),
    cut=st.floats(0, 1),
    insert=st.sampled_from(["", "\n", "x", "{", "// c\n", '"', "}\n\nquery q { }\n"]),
)
def test_same_answer_as_parse_across_edits(
    first: list[object], second: list[object], seed: int, cut: float, insert: str
) -> None:
    chunked = ChunkedParser()
    text = Printer(random.Random(seed)).spec(first)
    versions = [text, Printer(random.Random(seed + 1)).spec(second) + text]
    at = int(cut * len(text))
    versions += [text[:at] + insert + text[at:], text]
    for version in versions:
        assert repr(chunked.parse(version, "app.sq")) == repr(parse(version, "app.sq"))


def test_sentineliq_with_an_edit_in_the_middle() -> None:
    chunked = ChunkedParser()
    text = (REPO / "app.sq").read_text()
    assert repr(chunked.parse(text, "app.sq")) == repr(parse(text, "app.sq"))
    middle = text.index("entity Incident")
    edited = text[:middle] + "\n// a new line\n\n" + text[middle:]
    assert repr(chunked.parse(edited, "app.sq")) == repr(parse(edited, "app.sq"))


def test_cached_checks_give_the_errors_of_a_full_check() -> None:
    from sentinel_spec.analyzer import analyze
    from sentinel_spec.lsp.index import CachedImports, CheckCache, analyse

    text = (REPO / "app.sq").read_text()
    parser, checks, imports = ChunkedParser(), CheckCache(), CachedImports(REPO)
    edits = [
        text,
        text.replace("entities: [Alert]", "entities: [Alrt]", 1),
        text.replace("entities: [Alert]", "entities: [Alrt]", 1) + "\n// more\n",
        text.replace("enum Role {", "enum Rol {", 1),  # a name changes: every check again
        text,
    ]
    assert all(e != text for e in edits[1:4])
    for number, version in enumerate(edits):
        fresh, _ = analyze(parse(version, "app.sq")[0], REPO)
        cached = analyse(version, "app.sq", REPO, imports, parser, checks)
        expected = analyze(parse(version, "app.sq")[0], REPO)[1]
        assert cached.errors == expected
        assert (cached.spec is None) == (fresh is None)
        assert bool(cached.errors) == (number in (1, 2, 3))

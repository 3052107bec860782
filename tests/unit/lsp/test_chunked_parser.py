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

"""The language server's fast path (piecewise parse, kept checks and built values) gives
exactly the diagnostics of a full check, version after version of a file being edited.

Each version is analysed twice: by one long-lived ``analyse`` with the server's caches
(as ``sentinel lsp`` does between keystrokes) and from scratch (``parse`` + ``analyze``,
what ``sentinel check`` does); errors, warnings, the LSP diagnostics and the module
itself must be the same. The edits type declarations key by key in several places
(so most versions are half-written), rename and delete declarations others refer to,
add lines above everything, duplicate a declaration, break a string, open a block
comment, and change an imported Python file.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.lsp import synthetic_project
from sentinel_spec.analyzer import analyze
from sentinel_spec.analyzer.resolve import ImportResolver
from sentinel_spec.lsp import features
from sentinel_spec.lsp.index import Analysis, CachedImports, CheckCache, ChunkedParser, analyse
from sentinel_spec.parser import parse

NEW_QUERY = 'query typed {\n  fn: import { f3 } from "@src/ops",\n  entities: [E0, Missing],\n}\n\n'
NEW_ENTITY = "entity Typed {\n  id Int @id\n  level Level @default(HIGH)\n  x Strin\n}\n\n"


class Editor:
    """One file edited version after version, checked both ways at each."""

    def __init__(self, folder: Path, text: str) -> None:
        self.folder = folder
        self.text = text
        self.parser, self.checks = ChunkedParser(), CheckCache()
        self.imports = CachedImports(folder)
        self.versions = 0
        self.broken = 0  # versions with a syntax error
        self.with_errors = 0

    def check(self) -> None:
        fast = analyse(self.text, "app.sq", self.folder, self.imports, self.parser, self.checks)
        full = analyse(self.text, "app.sq", self.folder, ImportResolver(self.folder))
        module, parse_errors = parse(self.text, "app.sq")
        spec, errors = analyze(module, self.folder, "app.sq")
        assert fast.errors == sorted(parse_errors + errors, key=lambda e: e.sort_key())
        assert fast.errors == full.errors
        assert fast.warnings == full.warnings
        assert repr(fast.module) == repr(module)
        assert _diagnostics(fast) == _diagnostics(full)
        assert fast.parsed_whole == (not parse_errors)
        if not parse_errors:
            assert (fast.spec is None) == (spec is None)
            assert fast.spec == spec
        self.versions += 1
        self.broken += bool(parse_errors)
        self.with_errors += bool(fast.errors)

    def type_at(self, at: int, typed: str, step: int = 1) -> None:
        """Type ``typed`` at ``at`` a few keys at a time, checking after each."""
        for end in range(step, len(typed) + step, step):
            self.text = self.text[:at] + typed[: min(end, len(typed))] + self.text[at:]
            self.check()
            self.text = self.text[:at] + self.text[at + min(end, len(typed)) :]
        self.text = self.text[:at] + typed + self.text[at:]

    def replace(self, old: str, new: str, count: int = 1) -> None:
        assert old in self.text
        self.text = self.text.replace(old, new, count)
        self.check()


def _diagnostics(analysis: Analysis) -> list[str]:
    return [repr(d) for d in features.diagnostics(analysis)]


@pytest.fixture
def project() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="sentinel-incremental-"))
    synthetic_project(folder, declarations=90)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_typing_across_many_declarations(project: Path) -> None:
    editor = Editor(project, (project / "app.sq").read_text())
    editor.check()
    middle = editor.text.index("query q33")
    editor.type_at(middle, NEW_QUERY, step=3)  # half-written for most of the way
    editor.type_at(0, "// a comment above everything\n\n")
    editor.type_at(editor.text.index("entity E11"), NEW_ENTITY, step=4)
    editor.type_at(len(editor.text), NEW_QUERY.replace("typed", "typedAtEnd"), step=5)
    editor.replace("entity E0 {", "entity E0x {")  # many references break: hints
    editor.replace("entity E0x {", "entity E0 {")
    editor.replace("enum Level { LOW MID HIGH }", "enum Level { LOW MID }")
    editor.replace("enum Level { LOW MID }", "enum Level { LOW MID HIGH }")
    block = editor.text[middle : editor.text.index("\n}\n", middle) + 3]
    editor.replace(block, block + "\n" + block)  # the same text twice: a duplicate name
    editor.replace(block + "\n" + block, block)
    editor.replace("query q43 {", "query q43 {\n  fn: 1,")  # a duplicate key
    editor.replace('path: "/p49"', 'path: "/p49')  # an unterminated string
    editor.replace('path: "/p49', 'path: "/p49"')
    editor.replace("action a46 {", "/* action a46 {")  # swallows the rest of the file
    editor.replace("/* action a46 {", "action a46 {")
    editor.replace("query q53 {", "query q53 }")
    editor.replace("query q53 }", "query q53 {")
    editor.replace("\n}\n", "\n", 1)  # the first body loses its brace
    assert editor.versions > 100
    assert editor.broken > editor.versions // 2  # most of them half-written
    assert editor.with_errors > editor.broken  # and others with checker errors


def test_an_imported_file_that_changes(project: Path) -> None:
    editor = Editor(project, (project / "app.sq").read_text())
    editor.check()
    ops = project / "src" / "ops.py"
    source = ops.read_text()
    ops.write_text(source.replace("def f7(", "def f7_renamed("))
    editor.replace("query q3 {", "query q3 { \n")
    assert editor.with_errors == 1
    ops.write_text(source + "\n")
    editor.replace("query q3 { \n", "query q3 {")
    assert editor.with_errors == 1


SNIPPETS = [
    "",
    "\n",
    "x",
    "{",
    "}",
    ",",
    '"',
    "/*",
    "// c\n",
    "query q { }\n",
    'page Extra { component: import { f1 } from "@src/ops" }\n',
    "entities: [E0],\n",
    "entities: [Nope],\n",
    "  title String\n",
]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed=st.integers(0, 2**32),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(SNIPPETS)),
        min_size=1,
        max_size=12,
    ),
)
def test_random_edits_give_the_full_check(seed: int, edits: list[tuple[float, int, str]]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sentinel-incremental-"))
    try:
        synthetic_project(folder, declarations=40)
        editor = Editor(folder, (folder / "app.sq").read_text())
        editor.check()
        rng = random.Random(seed)
        for where, deleted, inserted in edits:
            at = int(where * len(editor.text))
            if rng.random() < 0.5:  # at a line start, where declarations begin
                at = editor.text.rfind("\n", 0, at) + 1
            editor.text = editor.text[:at] + inserted + editor.text[at + deleted :]
            editor.check()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""Property tests of ``sentinel fmt`` on generated specs.

Two generators: the parser tests' random syntax (any shape the grammar accepts, laid
out at random with comments everywhere) for the syntactic properties, and specs
that also pass the checker, for "formatting never changes the AppSpec".
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel_spec.analyzer import analyze
from sentinel_spec.errors import render_errors
from sentinel_spec.fmt import format_source
from sentinel_spec.fmt.comments import scan_comments
from sentinel_spec.parser import parse
from tests.unit.fmt.shape import shape
from tests.unit.parser.spec_printer import Printer, specs

PROPERTIES = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


def comment_texts(source: str) -> Counter[str]:
    return Counter(c.text.replace("\r\n", "\n") for c in scan_comments(source))


def parsed(source: str) -> Any:
    module, errors = parse(source)
    assert errors == [], render_errors(errors, {"app.sq": source})
    return module


@PROPERTIES
@given(spec=specs, seed=st.integers(min_value=0, max_value=2**32))
def test_fmt_is_idempotent_keeps_the_tree_and_every_comment(spec: list[Any], seed: int) -> None:
    source = Printer(random.Random(seed)).spec(spec)
    once = format_source(source)
    assert format_source(once) == once
    assert shape(parsed(once)) == shape(parsed(source))
    assert comment_texts(once) == comment_texts(source)
    assert (once == "" or once.endswith("\n")) and "\r" not in once


# ---------------------------------------------------------------- specs the checker accepts

FUNCTIONS = [f"f{i}" for i in range(8)]


def imports(draw: Any) -> Any:
    alias = draw(st.none() | st.sampled_from(["g0", "g1"]))
    return ("import", draw(st.sampled_from(FUNCTIONS)), alias, "@src/ops")


def ordered(draw: Any, entries: dict[str, Any]) -> dict[str, Any]:
    """The same entries in an order hypothesis picks: fmt must keep whatever it is."""
    keys = draw(st.permutations(list(entries)))
    return {key: entries[key] for key in keys}


def optional(draw: Any, entries: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entries.items() if draw(st.booleans())}


ENTITY_FIELDS = [
    ("title", "String", "", []),
    ("done", "Boolean", "", [("default", [(None, ("bool", False))])]),
    ("color", "Color", "", [("default", [(None, ("ref", "GREEN"))])]),
    ("note", "String", "?", [("db.Text", None)]),
    ("tags", "String", "[]", []),
    ("createdAt", "DateTime", "", [("default", [(None, ("call", "now"))])]),
    ("slug", "String", "", [("unique", None), ("db.VarChar", [(None, ("int", 40))])]),
    ("aVeryLongFieldNameForColumns", "Int", "?", [("map", [(None, ("str", "long_col"))])]),
]

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from('"\\'),
    max_size=140,
)


@st.composite
def valid_specs(draw: Any) -> list[Any]:
    entity_names = [f"E{i}" for i in range(draw(st.integers(1, 3)))]
    decls: list[Any] = []
    app: dict[str, Any] = {"title": ("str", draw(texts))}
    app |= optional(
        draw,
        {
            "server": (
                "dict",
                {
                    "cors": ("dict", {"origins": ("env", "CORS_ORIGINS", ("str", "http://a"))}),
                    "bodyLimits": ("dict", {"json": ("str", "2mb"), "raw": ("str", "20mb")}),
                },
            ),
            "db": (
                "dict",
                {"seeds": ("list", [imports(draw) for _ in range(draw(st.integers(0, 4)))])},
            ),
        },
    )
    decls.append(("decl", "app", "App", ordered(draw, app)))
    decls.append(("enum", "Color", ["RED", "GREEN", "BLUE"]))
    for name in entity_names:
        identity = draw(st.sampled_from(["int", "uuid"]))
        id_field = (
            ("id", "Int", "", [("id", None), ("default", [(None, ("call", "autoincrement"))])])
            if identity == "int"
            else ("id", "String", "", [("id", None), ("default", [(None, ("call", "uuid"))])])
        )
        fields = [
            id_field,
            *draw(st.lists(st.sampled_from(ENTITY_FIELDS), unique_by=lambda f: f[0])),
        ]
        fields = draw(st.permutations(fields))
        block = []
        if any(f[0] == "title" for f in fields):
            block.append(("index", [(None, ("alist", [("ref", "title")]))]))
        decls.append(("entity", name, fields, block, draw(st.booleans())))
    entity_list = ("list", [("ref", n) for n in draw(st.permutations(entity_names))])
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["query", "action"]))
        body = {"fn": imports(draw)} | optional(
            draw, {"entities": entity_list, "auth": ("bool", False)}
        )
        decls.append(("decl", kind, f"op{index}", ordered(draw, body)))
    for index in range(draw(st.integers(0, 2))):
        method = draw(st.sampled_from(["GET", "POST", "DELETE"]))
        body = {
            "fn": imports(draw),
            "httpRoute": ("tuple", [("ref", method), ("str", f"/api/a{index}/:id")]),
        } | optional(draw, {"entities": entity_list, "auth": ("bool", False)})
        decls.append(("decl", "api", f"api{index}", ordered(draw, body)))
    for index in range(draw(st.integers(0, 2))):
        page = {"component": imports(draw)} | optional(draw, {"authRequired": ("bool", False)})
        decls.append(("decl", "page", f"P{index}", ordered(draw, page)))
        route = {"path": ("str", f"/p{index}"), "to": ("ref", f"P{index}")}
        decls.append(("decl", "route", f"R{index}", ordered(draw, route)))
    if draw(st.booleans()):
        options = {"retryLimit": 3, "retryDelay": 60, "retryBackoff": True}
        perform = {"fn": imports(draw)} | optional(
            draw, {"executorOptions": ("dict", {"pgBoss": ("json", options)})}
        )
        schedule = {"cron": ("str", "0 1 * * *")} | optional(
            draw, {"args": ("json", {"full": True, "days": [1, 2.5, "x"]})}
        )
        job = {"executor": ("ref", "PgBoss"), "perform": ("dict", ordered(draw, perform))}
        job |= optional(draw, {"schedule": ("dict", schedule), "entities": entity_list})
        decls.append(("decl", "job", "nightly", ordered(draw, job)))
    result: list[Any] = draw(st.permutations(decls))
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fmt_project")
    (root / "src").mkdir()
    (root / "src" / "__init__.py").write_text("")
    defs = "".join(f"def {name}(args, context):\n    return None\n\n\n" for name in FUNCTIONS)
    (root / "src" / "ops.py").write_text(defs)
    return root


def appspec(source: str, project: Path) -> Any:
    module = parsed(source)
    spec, errors = analyze(module, project)
    assert errors == [], render_errors(errors, {"app.sq": source})
    return shape(spec)


@PROPERTIES
@given(spec=valid_specs(), seed=st.integers(min_value=0, max_value=2**32))
def test_fmt_keeps_the_appspec(project: Path, spec: list[Any], seed: int) -> None:
    source = Printer(random.Random(seed)).spec(spec)
    once = format_source(source)
    assert appspec(once, project) == appspec(source, project)
    assert format_source(once) == once
    assert comment_texts(once) == comment_texts(source)

"""Random spec structures and two printers for them, for the hypothesis tests.

The structure mirrors ``ast`` loosely (plain tuples), and both printers must produce
text that parses to the same module: one compact, one with random layout, comments,
optional commas and alternative string escapes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from sentinel_spec.limits import MAX_INT, MIN_INT
from sentinel_spec.parser import KEYWORDS

DICT_KINDS = ("app", "page", "route", "query", "action", "api", "apiNamespace", "job", "crud")

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True).filter(
    lambda n: n not in KEYWORDS
)
keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True)  # keywords are fine here
json_values = st.recursive(
    # JSON integers of a spec are signed 64-bit (docs/language.md, "Limits").
    st.none() | st.booleans() | st.integers(MIN_INT, MAX_INT) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
).filter(lambda v: "json=}" not in json.dumps(v))

scalars = st.one_of(
    st.tuples(st.just("str"), st.text(max_size=12)),
    st.tuples(st.just("int"), st.integers(min_value=-(10**12), max_value=10**12)),
    st.tuples(st.just("float"), st.floats(allow_nan=False, allow_infinity=False)),
    st.tuples(st.just("bool"), st.booleans()),
    st.tuples(st.just("ref"), names),
)


def _values(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.tuples(st.just("dict"), st.dictionaries(keys, inner, max_size=3)),
        st.tuples(st.just("list"), st.lists(inner, max_size=3)),
        st.tuples(st.just("tuple"), st.lists(inner, min_size=2, max_size=4)),
        st.tuples(st.just("env"), st.text(max_size=6), st.none() | inner),
    )


values = st.recursive(
    st.one_of(
        scalars,
        st.tuples(st.just("import"), names, st.none() | names, st.text(max_size=10)),
        st.tuples(st.just("json"), json_values),
    ),
    _values,
    max_leaves=8,
)

attr_values = st.recursive(
    st.one_of(
        st.tuples(st.just("str"), st.text(max_size=6)),
        st.tuples(st.just("int"), st.integers(min_value=-1000, max_value=1000)),
        st.tuples(st.just("bool"), st.booleans()),
        st.tuples(st.just("ref"), names),
        st.tuples(st.just("call"), names),
    ),
    lambda inner: st.tuples(st.just("alist"), st.lists(inner, max_size=3)),
    max_leaves=4,
)
attr_names = st.from_regex(
    r"[A-Za-z_][A-Za-z0-9_]{0,5}(\.[A-Za-z_][A-Za-z0-9_]{0,5})?", fullmatch=True
)
attributes = st.tuples(
    attr_names,
    st.none() | st.lists(st.tuples(st.none() | names, attr_values), max_size=3),
)
fields = st.tuples(
    names,
    names,
    st.sampled_from(["", "?", "[]"]),
    st.lists(attributes, max_size=3),
)
declarations = st.one_of(
    st.tuples(
        st.just("decl"),
        st.sampled_from(DICT_KINDS),
        names,
        st.dictionaries(keys, values, max_size=4),
    ),
    st.tuples(
        st.just("entity"),
        names,
        st.lists(fields, max_size=4),
        st.lists(attributes, max_size=2),
        st.booleans(),
    ),
    st.tuples(st.just("enum"), names, st.lists(names, max_size=4)),
)
specs = st.lists(declarations, max_size=5)

GAPS = (" ", "\n", "\t", "  \n  ", ' // note, with } and " inside\n', " /* block\n { */ ", "\r\n")


@dataclass
class Printer:
    """``rng`` None prints compactly; otherwise layout and optional commas are random."""

    rng: random.Random | None = None

    def gap(self) -> str:
        return " " if self.rng is None else self.rng.choice(GAPS)

    def trailing(self, items: list[Any]) -> str:
        return "," if self.rng is not None and items and self.rng.random() < 0.5 else ""

    def join(self, parts: list[str]) -> str:
        return (
            self.gap().join(parts) if self.rng is None else "".join(p + self.gap() for p in parts)
        )

    def string(self, text: str) -> str:
        if self.rng is None:
            return json.dumps(text, ensure_ascii=False)
        return json.dumps(text, ensure_ascii=True).replace("/", "\\/")

    def items(self, open_: str, parts: list[str], close: str) -> str:
        g = self.gap
        return open_ + g() + ("," + g()).join(parts) + self.trailing(parts) + g() + close

    def value(self, value: Any) -> str:
        tag = value[0]
        if tag == "str":
            return self.string(value[1])
        if tag in ("int", "float"):
            return repr(value[1])
        if tag == "bool":
            return "true" if value[1] else "false"
        if tag == "ref":
            return str(value[1])
        if tag == "dict":
            entries = [f"{k}{self.gap()}:{self.gap()}{self.value(v)}" for k, v in value[1].items()]
            return self.items("{", entries, "}")
        if tag == "list":
            return self.items("[", [self.value(v) for v in value[1]], "]")
        if tag == "tuple":
            return self.items("(", [self.value(v) for v in value[1]], ")")
        if tag == "env":
            args = [self.string(value[1])] + ([] if value[2] is None else [self.value(value[2])])
            return "env" + self.gap() + self.items("(", args, ")")
        if tag == "import":
            _, name, alias, path = value
            inner = name if alias is None else f"{name} as {alias}"
            g = self.gap
            return f"import{g()}{{{g()}{inner}{g()}}}{g()}from{g()}{self.string(path)}"
        if tag == "json":
            return "{=json " + json.dumps(value[1]) + " json=}"
        raise AssertionError(tag)

    def attr_value(self, value: Any) -> str:
        tag = value[0]
        if tag == "str":
            return self.string(value[1])
        if tag == "int":
            return str(value[1])
        if tag == "bool":
            return "true" if value[1] else "false"
        if tag == "ref":
            return str(value[1])
        if tag == "call":
            return f"{value[1]}{self.gap()}({self.gap()})"
        return self.items("[", [self.attr_value(v) for v in value[1]], "]")

    def attribute(self, attribute: Any, block: bool) -> str:
        name, args = attribute
        text = ("@@" if block else "@") + name
        if args is None:
            return text
        parts = [
            (f"{n}{self.gap()}:{self.gap()}" if n else "") + self.attr_value(v) for n, v in args
        ]
        return text + self.gap() + self.items("(", parts, ")")

    def declaration(self, decl: Any) -> str:
        tag = decl[0]
        if tag == "decl":
            _, kind, name, body = decl
            return self.join([kind, name, self.value(("dict", body))])
        if tag == "enum":
            _, name, members = decl
            sep = [" "] if self.rng is None else [" ", ", ", "\n", " , "]
            inner = "".join(m + (self.rng.choice(sep) if self.rng else " ") for m in members)
            return self.join(["enum", name, "{", inner, "}"])
        _, name, entity_fields, block_attributes, psl = decl
        parts = []
        for field_name, type_name, modifier, attrs in entity_fields:
            parts += [field_name, type_name + modifier, *(self.attribute(a, False) for a in attrs)]
        parts += [self.attribute(a, True) for a in block_attributes]
        opening, closing = ("{=psl", "psl=}") if psl else ("{", "}")
        return self.join(["entity", name, opening, *parts, closing])

    def spec(self, decls: list[Any]) -> str:
        return "\n".join(self.gap() + self.declaration(d) for d in decls) + self.gap()

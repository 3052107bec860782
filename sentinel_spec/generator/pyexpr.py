"""Python expressions as small trees, printed the way ``ruff format`` prints them.

Generated modules must pass ``ruff format --check`` without running ruff at build
time, so this printer follows ruff's layout rules for the shapes we emit:

- a call, dict, list or tuple marked ``explode`` is printed one item a line with a
  trailing comma; ruff keeps that layout (the "magic trailing comma");
- any other collection of leaves goes on one line when it fits, else its items go
  on one indented line when they fit ("right-hand split"), else one a line;
- a one-item tuple's trailing comma is not magic for ruff, so it is fitted too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

LINE_LENGTH = 100
INDENT = "    "


def pyrepr(value: object) -> str:
    """A Python literal for a JSON-like value, with the quotes ruff prefers."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, (list, tuple, dict)):
        return render(literal(value))
    raise TypeError(f"no Python literal for {type(value).__name__}")


def _string_literal(text: str) -> str:
    # ruff prefers double quotes unless that needs more escapes than single quotes.
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == quote:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif not char.isprintable():
            out.append(repr(char)[1:-1])
        else:
            out.append(char)
    return quote + "".join(out) + quote


@dataclass(frozen=True)
class Code:
    """Source text used as is: a name (``get_cases``), an attribute (``models.Case``)."""

    text: str


@dataclass(frozen=True)
class Call:
    func: str
    args: Sequence[Expr] = ()
    kwargs: Sequence[tuple[str, Expr]] = ()
    explode: bool = False


@dataclass(frozen=True)
class Tuple:
    items: Sequence[Expr] = ()
    explode: bool = True


@dataclass(frozen=True)
class List:
    items: Sequence[Expr] = ()
    explode: bool = True


@dataclass(frozen=True)
class Dict:
    items: Sequence[tuple[Expr, Expr]] = field(default_factory=tuple)
    explode: bool = True


Expr = Code | Call | Tuple | List | Dict


def lit(value: object) -> Code:
    """A leaf holding a Python literal."""
    return Code(pyrepr(value))


def literal(value: object) -> Expr:
    """A JSON-like value as an expression tree (collections become exploded displays)."""
    if isinstance(value, dict):
        return Dict(tuple((lit(str(k)), literal(v)) for k, v in value.items()))
    if isinstance(value, list):
        return List(tuple(literal(v) for v in value))
    if isinstance(value, tuple):
        return Tuple(tuple(literal(v) for v in value))
    return lit(value)


def render(expr: Expr, indent: int = 0, prefix: int = 0, suffix: int = 0) -> str:
    """Print ``expr`` starting after ``prefix`` characters on a line indented ``indent`` levels.

    ``suffix`` is what follows it on its last line (a ``,`` or ``)``), which counts
    toward the line length when choosing a layout.
    """
    if isinstance(expr, Code):
        return expr.text
    opening, closing, parts = _pieces(expr)
    if not parts:
        return opening + closing
    one_tuple = isinstance(expr, Tuple) and len(parts) == 1
    if not _forced(expr) and all(_flat(p) for p in parts):
        inline = ", ".join(_inline(p) for p in parts)
        if one_tuple:
            inline += ","
        width = len(INDENT) * indent + prefix + len(opening) + len(inline) + len(closing) + suffix
        if width <= LINE_LENGTH:
            return opening + inline + closing
        hugged = len(INDENT) * (indent + 1) + len(inline)
        if not one_tuple and hugged <= LINE_LENGTH:
            return f"{opening}\n{INDENT * (indent + 1)}{inline}\n{INDENT * indent}{closing}"
    lines = [opening]
    for part in parts:
        lines.append(INDENT * (indent + 1) + _render_part(part, indent + 1) + ",")
    lines.append(INDENT * indent + closing)
    return "\n".join(lines)


# One item of a collection: a positional expression, a keyword or a dict entry.
_Part = Expr | tuple[str, Expr] | tuple[Expr, Expr]


def _pieces(expr: Call | Tuple | List | Dict) -> tuple[str, str, list[_Part]]:
    if isinstance(expr, Call):
        return expr.func + "(", ")", [*expr.args, *expr.kwargs]
    if isinstance(expr, Tuple):
        return "(", ")", list(expr.items)
    if isinstance(expr, List):
        return "[", "]", list(expr.items)
    return "{", "}", list(expr.items)


def _forced(expr: Call | Tuple | List | Dict) -> bool:
    # A one-item tuple cannot be held open by its trailing comma.
    if isinstance(expr, Tuple) and len(expr.items) == 1:
        return False
    return expr.explode


def _flat(part: _Part) -> bool:
    value = part[1] if isinstance(part, tuple) else part
    if isinstance(value, Code):
        return True
    if isinstance(value, (Call, Tuple, List, Dict)):
        parts = _pieces(value)[2]
        return not parts or (not _forced(value) and all(_flat(p) for p in parts))
    return False


def _inline(part: _Part) -> str:
    if isinstance(part, tuple):
        key, value = part
        if isinstance(key, str):
            return f"{key}={_inline(value)}"
        return f"{_inline(key)}: {_inline(value)}"
    if isinstance(part, Code):
        return part.text
    opening, closing, parts = _pieces(part)
    inner = ", ".join(_inline(p) for p in parts)
    if isinstance(part, Tuple) and len(parts) == 1:
        inner += ","
    return opening + inner + closing


def _render_part(part: _Part, indent: int) -> str:
    if isinstance(part, tuple):
        key, value = part
        head = f"{key}=" if isinstance(key, str) else f"{_inline(key)}: "
        return head + render(value, indent, prefix=len(head), suffix=1)
    return render(part, indent, suffix=1)

"""``sentinel add KIND NAME``: a new declaration in app.sq and the Python stub it imports.

The spec is edited through the formatter's view of it (``fmt.Document``): the new
declaration, printed in the canonical layout, goes after the last declaration of its
kind (past the comment at the end of that line), so nothing else in the file moves
and every comment stays. The stub is written by ``stubs.write_stubs``, which never
overwrites a function.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sentinel_spec.contract.names import snake as snake_case
from sentinel_spec.fmt import Document, format_source
from sentinel_spec.parser import KEYWORDS
from sentinel_spec.stubs import StubRequest

__all__ = ["AddError", "Addition", "Declaration", "insert_declarations", "snake_case"]

# Where a kind's default module is, as Wasp projects lay them out.
DEFAULT_MODULES = {
    "query": "@src/queries",
    "action": "@src/actions",
    "api": "@src/apis",
    "job": "@src/jobs",
    "page": "@src/pages",
}
# Where a first declaration of a kind goes: after the last of these kinds, else at the end.
_NEIGHBOURS = {
    "entity": ("entity", "enum"),
    "query": ("query", "action", "entity", "enum"),
    "action": ("action", "query", "entity", "enum"),
    "api": ("api", "apiNamespace", "action", "query"),
    "job": ("job", "api", "action", "query"),
    "route": ("route", "page"),
    "page": ("page", "route"),
}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class AddError(Exception):
    """The addition cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Declaration:
    kind: str
    name: str
    text: str  # canonical layout, no trailing newline


@dataclass
class Addition:
    declarations: list[Declaration] = field(default_factory=list)
    routes: list[Declaration] = field(default_factory=list)  # printed with their page
    stubs: list[StubRequest] = field(default_factory=list)


def check_name(kind: str, name: str, document: Document) -> None:
    if not _IDENT.match(name) or name in KEYWORDS:
        raise AddError(f"`{name}` cannot name a declaration: use letters, digits and _")
    upper = kind in ("entity", "page", "route", "enum")
    if name[0].isupper() != upper:
        case = "an uppercase" if upper else "a lowercase"
        raise AddError(f"{kind} names start with {case} letter: `{name}`")
    for decl in document.module.declarations:
        if decl.name.name == name:
            raise AddError(f"`{name}` is already declared on line {decl.name.span.line}")


def render(kind: str, name: str, body: str) -> Declaration:
    """``kind name { body }`` in the canonical layout."""
    return Declaration(kind, name, format_source(f"{kind} {name} {body}").rstrip("\n"))


def import_text(function: str, module: str) -> str:
    return f"import {{ {function} }} from {json.dumps(module)}"


def list_text(names: Sequence[str]) -> str:
    return "[" + ", ".join(names) + "]"


def insert_declarations(document: Document, declarations: Sequence[Declaration]) -> str:
    """The document's text with each declaration after the last one of its kind."""
    from sentinel_spec.fmt import declaration_kind

    inserts: list[tuple[int, int, str]] = []  # (offset, order, text)
    for order, new in enumerate(declarations):
        anchor = None
        for kind in _NEIGHBOURS.get(new.kind, (new.kind,)):
            same = [d for d in document.module.declarations if declaration_kind(d) == kind]
            if same:
                anchor = max(same, key=lambda d: d.span.end_offset)
                break
        if anchor is None and document.module.declarations:
            anchor = max(document.module.declarations, key=lambda d: d.span.end_offset)
        offset = len(document.source) if anchor is None else document.end_of_line_after(anchor)
        inserts.append((offset, order, new.text))
    text = document.source
    for offset, _, new_text in sorted(inserts, reverse=True):
        before = text[:offset].rstrip("\n")
        after = text[offset:]
        separator = "\n\n" if before else ""
        if after.strip():
            text = before + separator + new_text + after
        else:
            text = before + separator + new_text + "\n"
    return text

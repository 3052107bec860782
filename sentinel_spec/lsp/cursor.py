"""Where the cursor is, read from the text alone: the file is usually half-written.

Completion cannot wait for a parse that succeeds, so this scans the declaration the
cursor is in (from the last line that starts one, as the parser's error recovery
splits) with a small tokenizer, tracking open brackets and the key each opened, and
says what is expected next: a declaration kind, a key of the dict at some schema path,
the value of a field, a Python name in an ``import { }``, an ``@src/`` path, an
entity field's type, an attribute, an attribute's argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sentinel_spec.parser import declaration_start_pattern

CursorKind = Literal[
    "top",
    "key",
    "value",
    "import_name",
    "import_path",
    "entity_type",
    "attribute",
    "attribute_arg",
    "none",
]

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
    r"|(?P<json>\{=json[\s\S]*?(?:json=\}|\Z))"
    r"|(?P<psl>\{=psl|psl=\})"
    r'|(?P<string>"(?:[^"\\\n]|\\.)*"?)'
    r"|(?P<attr>@@?[A-Za-z_][\w.]*)"
    r"|(?P<ident>[A-Za-z_]\w*)"
    r"|(?P<number>-?\d[\w.+-]*)"
    r"|(?P<punct>.)",
)
_WORD_BEFORE = re.compile(r"@{0,2}[A-Za-z_][\w.]*\Z|@{1,2}\Z")
_DECL_START = re.compile(declaration_start_pattern(), re.MULTILINE)
_IMPORT_TAIL = re.compile(
    r"\s*(?:[A-Za-z_]\w*\s*)?(?:as\s+[A-Za-z_]\w*\s*)?\}\s*from\s*\"([^\"\n]*)"
)


@dataclass(frozen=True)
class Cursor:
    kind: CursorKind
    path: tuple[str, ...] = ()  # key: the dict's path; value: the field's (``[]`` for items)
    prefix: str = ""  # the word being typed
    present: frozenset[str] = frozenset()  # key: the keys the dict already has
    module: str | None = None  # import_name: the path after `from`, when written
    field_type: str | None = None  # attribute_arg: the type of the entity field
    attribute: str | None = None  # attribute_arg: "default", "relation"
    tuple_index: int = 0  # value in a tuple: which item
    block: bool = False  # attribute: `@@` (block attribute)


@dataclass
class _Frame:
    bracket: str  # "{", "[", "("
    path: tuple[str, ...]
    keys: set[str] = field(default_factory=set)
    key: str | None = None  # the key whose value comes next
    items: int = 0


def cursor_at(text: str, offset: int) -> Cursor:
    """What may be written at ``offset`` of ``text``."""
    before = text[:offset]
    word = _WORD_BEFORE.search(before)
    prefix = word.group(0) if word else ""
    scan_end = offset - len(prefix)
    start = 0
    for match in _DECL_START.finditer(text, 0, scan_end):
        if match.group("kind"):
            start = match.start()
    tokens = [
        (m.lastgroup or "", m.group(0))
        for m in _TOKEN.finditer(text, start, scan_end)
        if m.lastgroup not in ("ws", "comment")
    ]
    if not tokens:
        return Cursor("top", prefix=prefix)
    kind = tokens[0][1]
    if kind in ("entity", "enum"):
        return _model_cursor(text, start, scan_end, tokens, prefix)
    return _dict_cursor(text, offset, tokens, prefix)


def _dict_cursor(text: str, offset: int, tokens: list[tuple[str, str]], prefix: str) -> Cursor:
    kind = tokens[0][1]
    stack: list[_Frame] = []
    last = ""
    in_import = False  # between `import {` and `}`
    after_from = False
    closed = False
    last_ident = ""
    for group, value in tokens[2:]:
        if closed:
            return Cursor("top", prefix=prefix)
        if group == "ident" and value == "import":
            in_import = True
        elif in_import and value in "{}" and group == "punct":
            in_import = value == "{"  # the braces of `import { name }` open no dict
        elif group == "ident" and value == "from":
            after_from = True
        elif value in "{[(" and group == "punct":
            stack.append(_Frame(value, _child_path(stack, kind)))
        elif value in "}])" and group == "punct":
            if stack:
                stack.pop()
            if not stack:
                closed = True
        elif value == ":" and stack and last == "ident":
            stack[-1].key = last_ident
            stack[-1].keys.add(last_ident)
        elif value == "," and stack:
            stack[-1].key = None
            stack[-1].items += 1
        if group == "ident":
            last_ident = value
        if group == "string" and after_from:
            after_from = False
            if not (len(value) > 1 and value.endswith('"')):  # the cursor is inside it
                return Cursor("import_path", prefix=value[1:] + prefix)
        last = group if group == "ident" else value
    if closed:
        return Cursor("top", prefix=prefix)
    if len(tokens) < 3 or not stack:
        return Cursor("none", prefix=prefix)
    if in_import:
        tail = _IMPORT_TAIL.match(text, offset)
        return Cursor("import_name", prefix=prefix, module=tail.group(1) if tail else None)
    frame = stack[-1]
    if frame.bracket == "{" and last in ("{", ","):
        return Cursor("key", frame.path, prefix, frozenset(frame.keys))
    if frame.bracket == "{" and last == ":" and frame.key is not None:
        return Cursor("value", (*frame.path, frame.key), prefix)
    if frame.bracket == "[" and last in ("[", ","):
        return Cursor("value", (*frame.path, "[]"), prefix)
    if frame.bracket == "(" and last in ("(", ","):
        return Cursor("value", frame.path, prefix, tuple_index=frame.items)
    return Cursor("none", prefix=prefix)


def _child_path(stack: list[_Frame], kind: str) -> tuple[str, ...]:
    """The schema path of a bracket opened now: the body, a field's value, a list item."""
    if not stack:
        return (kind,)
    parent = stack[-1]
    if parent.bracket == "{":
        return (*parent.path, parent.key or "?")
    if parent.bracket == "[":
        return (*parent.path, "[]")
    return parent.path


def _model_cursor(
    text: str, start: int, scan_end: int, tokens: list[tuple[str, str]], prefix: str
) -> Cursor:
    opened = any(v in ("{", "{=psl") for _, v in tokens[2:3])
    closed = any(v in ("}", "psl=}") for _, v in tokens[3:])
    if closed:
        return Cursor("top", prefix=prefix)
    if not opened or tokens[0][1] == "enum":
        return Cursor("none", prefix=prefix)
    if prefix.startswith("@"):
        return Cursor("attribute", prefix=prefix.lstrip("@"), block=prefix.startswith("@@"))
    line_start = max(text.rfind("\n", start, scan_end) + 1, start)
    line = [
        (m.lastgroup or "", m.group(0))
        for m in _TOKEN.finditer(text, line_start, scan_end)
        if m.lastgroup not in ("ws", "comment")
    ]
    line = [t for t in line if t[1] not in ("{", "{=psl")] if line_start == start else line
    if line and line[0][1] in ("entity",):
        line = line[3:]
    if len(line) == 1 and line[0][0] == "ident":
        return Cursor("entity_type", prefix=prefix)
    depth = 0
    attribute = None
    for group, value in line:
        if group == "attr":
            attribute = value.lstrip("@")
        elif value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
    if depth > 0 and attribute is not None and len(line) >= 2:
        field_type = line[1][1] if line[1][0] == "ident" else None
        return Cursor("attribute_arg", prefix=prefix, field_type=field_type, attribute=attribute)
    return Cursor("none", prefix=prefix)

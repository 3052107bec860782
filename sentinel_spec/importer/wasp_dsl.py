"""``main.wasp`` (Wasp up to 0.23): declarations of dicts, imports and quoters.

The same shape as ``.sq`` (which descends from it), plus what Wasp has and Sentinel
does not: default imports (``import Main from "@src/Main"``) and any key at all.
"""

from __future__ import annotations

import json
import re

from sentinel_spec.importer.lexer import Cursor, Token, tokenize
from sentinel_spec.importer.values import (
    WaspSyntaxError,
    WBool,
    WDecl,
    WDict,
    WEntry,
    WImport,
    WList,
    WNum,
    WQuoter,
    WRef,
    WStr,
    WValue,
)

_QUOTER_TAG = re.compile(r"\{=([A-Za-z_]+)")


def read_wasp(text: str, file: str) -> list[WDecl]:
    """Every declaration of a ``main.wasp``; ``WaspSyntaxError`` at the first bad token."""
    cursor = Cursor(tokenize(text, file, "wasp"))
    decls: list[WDecl] = []
    while cursor.peek().kind != "eof":
        kind = cursor.expect_kind("ident", "a declaration (app, page, query, ...)")
        name = cursor.expect_kind("ident", f"the name of the {kind.text}")
        value = _value(cursor)
        decls.append(WDecl(kind.text, name.text, value, kind.pos))
    return decls


def _value(cursor: Cursor) -> WValue:
    token = cursor.peek()
    if token.kind == "string":
        cursor.take()
        return WStr(_string(token), token.pos)
    if token.kind == "number":
        cursor.take()
        return WNum(token.text, token.pos)
    if token.kind == "quoter":
        cursor.take()
        tag = _QUOTER_TAG.match(token.text).group(1)  # type: ignore[union-attr]
        inner = token.text[2 + len(tag) : -(len(tag) + 2)]
        return WQuoter(tag, inner, token.pos)
    if token.kind == "ident":
        if token.text in ("true", "false"):
            cursor.take()
            return WBool(token.text == "true", token.pos)
        if token.text == "import":
            return _import(cursor)
        cursor.take()
        return WRef(token.text, token.pos)
    if token.text == "{":
        return _dict(cursor)
    if token.text in "[(":
        return _sequence(cursor, "]" if token.text == "[" else ")")
    shown = token.text or "end of file"
    raise WaspSyntaxError(token.pos, f"expected a value, found `{shown}`")


def _string(token: Token) -> str:
    try:
        value: str = json.loads(token.text)
    except ValueError:
        raise WaspSyntaxError(token.pos, "invalid string") from None
    return value


def _import(cursor: Cursor) -> WImport:
    start = cursor.take()
    if cursor.accept("{"):
        name = cursor.expect_kind("ident", "the imported name").text
        if cursor.accept("as"):
            cursor.expect_kind("ident", "the alias")
        cursor.expect("}")
        default = False
    else:
        name = cursor.expect_kind("ident", "the imported name").text
        default = True
    cursor.expect("from")
    path = cursor.expect_kind("string", "the module path")
    return WImport(name, _string(path), start.pos, default)


def _dict(cursor: Cursor) -> WDict:
    start = cursor.expect("{")
    entries: list[WEntry] = []
    while not cursor.accept("}"):
        key = cursor.expect_kind("ident", "a key")
        cursor.expect(":")
        entries.append(WEntry(key.text, _value(cursor), key.pos))
        if not cursor.accept(","):
            cursor.expect("}")
            break
    return WDict(tuple(entries), start.pos)


def _sequence(cursor: Cursor, closing: str) -> WList:
    start = cursor.take()
    items: list[WValue] = []
    while not cursor.accept(closing):
        items.append(_value(cursor))
        if not cursor.accept(","):
            cursor.expect(closing)
            break
    return WList(tuple(items), start.pos)

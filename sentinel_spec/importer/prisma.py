"""``schema.prisma``: models and enums, every field and attribute with its position.

Only the shape is read here (the converter decides what Sentinel can carry). Attribute
arguments keep enough structure to be printed back: strings as written, names, calls
with their arguments, lists, ``name: value`` pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from sentinel_spec.importer.lexer import Cursor, tokenize
from sentinel_spec.importer.values import Pos, WaspSyntaxError


@dataclass(frozen=True)
class PCall:
    name: str
    args: tuple[PArg, ...]
    has_parens: bool


@dataclass(frozen=True)
class PList:
    items: tuple[PExpr, ...]


@dataclass(frozen=True)
class PLiteral:
    text: str  # a string as written (with quotes), a number, true/false


PExpr: TypeAlias = PCall | PList | PLiteral


@dataclass(frozen=True)
class PArg:
    name: str | None
    value: PExpr


@dataclass(frozen=True)
class PAttribute:
    name: str  # "default", "db.VarChar", "relation"
    args: tuple[PArg, ...] | None  # None: written without parentheses
    block: bool
    pos: Pos


@dataclass(frozen=True)
class PField:
    name: str
    type: str
    modifier: str  # "", "?", "[]"
    attributes: tuple[PAttribute, ...]
    pos: Pos
    unsupported_type: str | None = None  # Unsupported("...")


@dataclass
class PModel:
    name: str
    pos: Pos
    fields: list[PField] = field(default_factory=list)
    attributes: list[PAttribute] = field(default_factory=list)
    items: list[PField | PAttribute] = field(default_factory=list)  # in source order


@dataclass
class PEnum:
    name: str
    pos: Pos
    members: list[str] = field(default_factory=list)


@dataclass
class PSchema:
    models: list[PModel] = field(default_factory=list)
    enums: list[PEnum] = field(default_factory=list)
    other_blocks: list[tuple[str, str, Pos]] = field(default_factory=list)  # datasource, ...


def read_prisma(text: str, file: str) -> PSchema:
    cursor = Cursor(tokenize(text, file, "prisma"))
    schema = PSchema()
    while cursor.peek().kind != "eof":
        keyword = cursor.expect_kind("ident", "model, enum, datasource or generator")
        name = cursor.expect_kind("ident", f"the name of the {keyword.text}")
        if keyword.text == "model":
            schema.models.append(read_model_body(cursor, name.text, keyword.pos))
        elif keyword.text == "enum":
            schema.enums.append(_enum(cursor, name.text, keyword.pos))
        else:
            _skip_block(cursor)
            schema.other_blocks.append((keyword.text, name.text, keyword.pos))
    return schema


def read_model_body(cursor: Cursor, name: str, pos: Pos) -> PModel:
    """A model body, from its ``{`` to its ``}``."""
    cursor.expect("{")
    model = PModel(name, pos)
    while True:
        token = cursor.peek()
        if token.kind == "eof":
            raise WaspSyntaxError(token.pos, f"model {name} is not closed")
        if token.text == "}":
            cursor.take()
            return model
        if token.text == "@@":
            attribute = _attribute(cursor, block=True)
            model.attributes.append(attribute)
            model.items.append(attribute)
            continue
        model_field = _field(cursor)
        model.fields.append(model_field)
        model.items.append(model_field)


def _field(cursor: Cursor) -> PField:
    name = cursor.expect_kind("ident", "a field name")
    type_token = cursor.expect_kind("ident", f"the type of {name.text}")
    unsupported = None
    if type_token.text == "Unsupported" and cursor.peek().text == "(":
        cursor.take()
        unsupported = cursor.expect_kind("string", "the native type").text
        cursor.expect(")")
    modifier = ""
    if cursor.accept("?"):
        modifier = "?"
    elif cursor.peek().text == "[" and cursor.peek(1).text == "]":
        cursor.take()
        cursor.take()
        modifier = "[]"
        cursor.accept("?")  # `Type[]?` is not Prisma; read past it
    attributes = []
    while cursor.peek().text == "@" and cursor.peek(1).kind == "ident":
        attributes.append(_attribute(cursor, block=False))
    return PField(name.text, type_token.text, modifier, tuple(attributes), name.pos, unsupported)


def _attribute(cursor: Cursor, block: bool) -> PAttribute:
    start = cursor.take()  # "@" or "@@"
    name = cursor.expect_kind("ident", "an attribute name").text
    while cursor.peek().text == "." and cursor.peek(1).kind == "ident":
        cursor.take()
        name += "." + cursor.take().text
    args = None
    if cursor.peek().text == "(":
        args = _args(cursor)
    return PAttribute(name, args, block, start.pos)


def _args(cursor: Cursor) -> tuple[PArg, ...]:
    cursor.expect("(")
    args: list[PArg] = []
    while not cursor.accept(")"):
        if cursor.peek().kind == "ident" and cursor.peek(1).text == ":":
            key = cursor.take().text
            cursor.take()
            args.append(PArg(key, _expr(cursor)))
        else:
            args.append(PArg(None, _expr(cursor)))
        if not cursor.accept(","):
            cursor.expect(")")
            break
    return tuple(args)


def _expr(cursor: Cursor) -> PExpr:
    token = cursor.peek()
    if token.text == "[":
        cursor.take()
        items: list[PExpr] = []
        while not cursor.accept("]"):
            items.append(_expr(cursor))
            if not cursor.accept(","):
                cursor.expect("]")
                break
        return PList(tuple(items))
    if token.kind in ("string", "number"):
        cursor.take()
        return PLiteral(token.text)
    if token.kind == "ident":
        cursor.take()
        if cursor.peek().text == "(":
            return PCall(token.text, _args(cursor), True)
        return PCall(token.text, (), False)
    raise WaspSyntaxError(token.pos, f"expected a value, found `{token.text}`")


def _enum(cursor: Cursor, name: str, pos: Pos) -> PEnum:
    cursor.expect("{")
    enum = PEnum(name, pos)
    while not cursor.accept("}"):
        token = cursor.peek()
        if token.text == "@@" or token.text == "@":
            _attribute(cursor, block=token.text == "@@")  # @map on a member: dropped
            continue
        enum.members.append(cursor.expect_kind("ident", "an enum member").text)
    return enum


def _skip_block(cursor: Cursor) -> None:
    cursor.expect("{")
    depth = 1
    while depth:
        token = cursor.take()
        if token.kind == "eof":
            raise WaspSyntaxError(token.pos, "block is not closed")
        depth += token.text == "{"
        depth -= token.text == "}"

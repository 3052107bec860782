"""The syntax tree of a ``.sq`` file: frozen dataclasses, each with the span it came from.

The parser builds it; only the analyzer reads it. It says nothing about meaning:
``query`` and ``page`` declarations share ``Decl`` and differ only in ``kind``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from sentinel_spec.errors import SourceSpan


@dataclass(frozen=True, slots=True)
class Ident:
    name: str
    span: SourceSpan


# ---------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class StringLit:
    value: str
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class NumberLit:
    value: int | float
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class Ref:
    """A bare identifier in value position: a declaration name or an enum member (GET, PgBoss)."""

    name: str
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class DictEntry:
    key: Ident
    value: Expr
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class DictExpr:
    entries: tuple[DictEntry, ...]
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class TupleExpr:
    items: tuple[Expr, ...]
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class ImportExpr:
    """``import { name as alias } from "@src/a/b"``; ``path`` is the string as written."""

    name: Ident
    alias: Ident | None
    path: StringLit
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class JsonExpr:
    """``{=json ... json=}``; ``value`` is the parsed JSON (the parser reports bad JSON).

    ``ok`` is False when the text is not JSON (``value`` is then None), so later
    passes can skip the value instead of reporting it a second time.
    """

    raw: str
    value: object
    span: SourceSpan
    ok: bool = True


@dataclass(frozen=True, slots=True)
class EnvExpr:
    """``env("NAME")`` or ``env("NAME", default)``."""

    name: StringLit
    default: Expr | None
    span: SourceSpan


Expr: TypeAlias = (
    StringLit
    | NumberLit
    | BoolLit
    | Ref
    | DictExpr
    | ListExpr
    | TupleExpr
    | ImportExpr
    | JsonExpr
    | EnvExpr
)


# ---------------------------------------------------------------- entity model bodies


@dataclass(frozen=True, slots=True)
class FuncCall:
    """A call inside an attribute argument: ``uuid()``, ``now()``, ``autoincrement()``."""

    name: Ident
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class AttrArg:
    """One argument of an attribute; ``name`` is set for ``fields: [...]`` style arguments."""

    name: Ident | None
    value: AttrValue
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class AttrList:
    items: tuple[AttrValue, ...]
    span: SourceSpan


AttrValue: TypeAlias = StringLit | NumberLit | BoolLit | Ref | FuncCall | AttrList


@dataclass(frozen=True, slots=True)
class Attribute:
    """``@unique``, ``@default(now())``, ``@db.VarChar(255)``; ``@@index([a])`` when ``block``."""

    name: Ident  # dotted names kept whole: "db.VarChar"
    args: tuple[AttrArg, ...]
    block: bool
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class TypeRef:
    name: Ident
    optional: bool
    is_list: bool
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class FieldDef:
    name: Ident
    type: TypeRef
    attributes: tuple[Attribute, ...]
    span: SourceSpan


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Decl:
    """``<kind> <Name> { ... }`` for every dict-bodied kind (app, query, page, job, ...)."""

    kind: Ident
    name: Ident
    body: DictExpr
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class EntityDecl:
    name: Ident
    fields: tuple[FieldDef, ...]
    block_attributes: tuple[Attribute, ...]
    psl: bool  # written as {=psl ... psl=}
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class EnumDecl:
    name: Ident
    members: tuple[Ident, ...]
    span: SourceSpan


Declaration: TypeAlias = Decl | EntityDecl | EnumDecl


@dataclass(frozen=True, slots=True)
class Module:
    declarations: tuple[Declaration, ...]
    span: SourceSpan

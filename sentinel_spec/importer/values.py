"""The values a Wasp spec is made of, whichever way it was written (``main.wasp`` or
``main.wasp.ts``), with the position of each: the converter reads only these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True)
class Pos:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class WStr:
    value: str
    pos: Pos


@dataclass(frozen=True)
class WNum:
    text: str
    pos: Pos


@dataclass(frozen=True)
class WBool:
    value: bool
    pos: Pos


@dataclass(frozen=True)
class WRef:
    """A bare name: a declaration (``User``, ``MainPage``) or an enum member (``GET``)."""

    name: str
    pos: Pos


@dataclass(frozen=True)
class WImport:
    """``import { name as alias } from "path"`` or ``import Name from "path"`` (default)."""

    name: str
    path: str
    pos: Pos
    default: bool = False


@dataclass(frozen=True)
class WQuoter:
    """``{=json ... json=}``, ``{=psl ... psl=}``: the text between the markers."""

    tag: str
    text: str
    pos: Pos


@dataclass(frozen=True)
class WEntry:
    key: str
    value: WValue
    pos: Pos  # of the key


@dataclass(frozen=True)
class WDict:
    entries: tuple[WEntry, ...]
    pos: Pos

    def get(self, key: str) -> WValue | None:
        return next((e.value for e in self.entries if e.key == key), None)


@dataclass(frozen=True)
class WList:
    items: tuple[WValue, ...]
    pos: Pos


@dataclass(frozen=True)
class WOpaque:
    """Something the reader understood only as far as where it is (a function call,
    a spread, a variable from another file): the converter reports it."""

    text: str
    pos: Pos


WValue: TypeAlias = WStr | WNum | WBool | WRef | WImport | WQuoter | WDict | WList | WOpaque


@dataclass(frozen=True)
class WDecl:
    kind: str
    name: str
    value: WValue
    pos: Pos


@dataclass
class WaspSource:
    """Everything read from a Wasp project: declarations, and what could not be read."""

    decls: list[WDecl] = field(default_factory=list)
    problems: list[tuple[Pos, str]] = field(default_factory=list)


class WaspSyntaxError(Exception):
    def __init__(self, pos: Pos, message: str) -> None:
        self.pos = pos
        self.message = message
        super().__init__(f"{pos}: {message}")

"""One small tokenizer for the three inputs (``main.wasp``, ``main.wasp.ts``, Prisma):
the token kinds differ only in which strings and punctuation a language has."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentinel_spec.importer.values import Pos, WaspSyntaxError


@dataclass(frozen=True)
class Token:
    kind: str  # "ident", "string", "number", "punct", "quoter", "eof"
    text: str
    pos: Pos
    offset: int


_COMMON = (
    r"(?P<ws>\s+)"
    r"|(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)"
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)"
)
_WASP = re.compile(
    r"(?P<quoter>\{=(?P<tag>[A-Za-z_]+)[\s\S]*?(?P=tag)=\})|"
    + _COMMON
    + r'|(?P<string>"(?:[^"\\\n]|\\.)*")'
    r"|(?P<punct>[{}\[\]():,])"
)
_TS = re.compile(
    _COMMON + r"|(?P<string>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.)*`)"
    r"|(?P<punct>\.\.\.|=>|[{}\[\]():,;.=<>?|&!+*/%-])"
)
_PRISMA = re.compile(
    _COMMON + r'|(?P<string>"(?:[^"\\\n]|\\.)*")' r"|(?P<punct>@@|[{}\[\]():,=?@.])"
)
LANGUAGES = {"wasp": _WASP, "ts": _TS, "prisma": _PRISMA}


def tokenize(text: str, file: str, language: str) -> list[Token]:
    pattern = LANGUAGES[language]
    tokens: list[Token] = []
    line, line_start, at = 1, 0, 0
    while at < len(text):
        match = pattern.match(text, at)
        pos = Pos(file, line, at - line_start + 1)
        if match is None:
            raise WaspSyntaxError(pos, f"unexpected character {text[at]!r}")
        kind = match.lastgroup or ""
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(0), pos, at))
        chunk = match.group(0)
        newlines = chunk.count("\n")
        if newlines:
            line += newlines
            line_start = at + chunk.rfind("\n") + 1
        at = match.end()
    tokens.append(Token("eof", "", Pos(file, line, at - line_start + 1), at))
    return tokens


class Cursor:
    """A position in a token list with the usual peek / take / expect."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.at = min(self.at + 1, len(self.tokens) - 1)
        return token

    def accept(self, text: str) -> bool:
        if self.peek().text == text and self.peek().kind in ("punct", "ident"):
            self.take()
            return True
        return False

    def expect(self, text: str) -> Token:
        token = self.peek()
        if token.text != text:
            shown = token.text or "end of file"
            raise WaspSyntaxError(token.pos, f"expected `{text}`, found `{shown}`")
        return self.take()

    def expect_kind(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token.kind != kind:
            shown = token.text or "end of file"
            raise WaspSyntaxError(token.pos, f"expected {what}, found `{shown}`")
        return self.take()

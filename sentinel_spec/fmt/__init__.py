"""``sentinel fmt``: one canonical layout for ``.sq`` files, comments kept.

``format_source`` parses with the compiler's own parser (so the formatter accepts
exactly the language ``sentinel build`` does), finds the comments with a separate
scan (``comments.py``), and prints the tree (``printer.py``). A file with syntax
errors is refused with the parser's diagnostics: it is never re-printed half-read.

``Document`` is the same parsed view for tools that edit a spec (``sentinel add``):
where each declaration ends, with the comment at the end of its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sentinel_spec import ast
from sentinel_spec.errors import SpecError
from sentinel_spec.fmt.comments import Comment, CommentIndex, scan_comments
from sentinel_spec.fmt.printer import Printer

__all__ = ["Comment", "Document", "FormatRefused", "format_source", "parse_document"]


class FormatRefused(Exception):
    """The text does not parse; ``errors`` are the parser's diagnostics."""

    def __init__(self, errors: Sequence[SpecError], source: str) -> None:
        self.errors = list(errors)
        self.source = source
        super().__init__(f"{len(self.errors)} syntax error(s)")


@dataclass(frozen=True)
class Document:
    """A spec that parsed: its text (line ends normalised), tree and comments."""

    source: str
    module: ast.Module
    comments: tuple[Comment, ...]
    file: str

    def declarations_of(self, kind: str) -> list[ast.Declaration]:
        return [d for d in self.module.declarations if declaration_kind(d) == kind]

    def end_of_line_after(self, decl: ast.Declaration) -> int:
        """The offset where ``decl``'s last line ends, past any comment on that line."""
        end = decl.span.end_offset
        for comment in self.comments:
            if comment.start >= end and "\n" not in self.source[end : comment.start]:
                end = comment.end
        newline = self.source.find("\n", end)
        return len(self.source) if newline < 0 else newline


def declaration_kind(decl: ast.Declaration) -> str:
    if isinstance(decl, ast.EntityDecl):
        return "entity"
    if isinstance(decl, ast.EnumDecl):
        return "enum"
    return decl.kind.name


_LINE_ENDS = re.compile(r"\r\n?")


def parse_document(source: str, file: str = "app.sq") -> Document:
    """Parse ``source``; raise ``FormatRefused`` with every syntax error when it does not."""
    from sentinel_spec.parser import parse

    text = _LINE_ENDS.sub("\n", source).removeprefix("\ufeff")
    module, errors = parse(text, file)
    if errors:
        raise FormatRefused(errors, text)
    return Document(text, module, scan_comments(text), file)


def format_document(document: Document) -> str:
    printer = Printer(document.source, CommentIndex(document.comments))
    return printer.module(document.module)


def format_source(source: str, file: str = "app.sq") -> str:
    """``source`` in the canonical layout; ``FormatRefused`` when it has syntax errors."""
    return format_document(parse_document(source, file))

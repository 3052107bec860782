"""The comments of a ``.sq`` file: a lossless pass the parser does not need to make.

The grammar ignores comments (one ``GAP`` terminal per stretch of whitespace and
comments), which keeps ``sentinel build`` fast. Only the formatter, ``sentinel add``
and the language server need them, so they find them here, with one regex scan over
a file that already parsed: strings and ``{=json ... json=}`` quoters are matched
first so that a ``//`` inside them is not taken for a comment.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

_SCAN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"'  # a string: skipped
    r"|\{=json[\s\S]*?json=\}"  # a JSON quoter: skipped
    r"|(?P<line>//[^\n]*)"
    r"|(?P<block>/\*[\s\S]*?\*/)"
)


@dataclass(frozen=True)
class Comment:
    """One comment; ``start``/``end`` are offsets into the text it was found in."""

    start: int
    end: int
    text: str  # as written; a line comment without its trailing whitespace
    block: bool


def scan_comments(source: str) -> tuple[Comment, ...]:
    """Every comment of ``source`` (a file that parses), in source order."""
    found: list[Comment] = []
    for match in _SCAN.finditer(source):
        kind = match.lastgroup
        if kind == "line":
            found.append(Comment(match.start(), match.end(), match.group().rstrip(), False))
        elif kind == "block":
            found.append(Comment(match.start(), match.end(), match.group(), True))
    return tuple(found)


class CommentIndex:
    """The comments of a file and which of them a printer has placed already."""

    def __init__(self, comments: Sequence[Comment]) -> None:
        self.comments = tuple(comments)
        self._starts = [c.start for c in self.comments]
        self._placed = [False] * len(self.comments)

    def within(self, start: int, end: int) -> list[int]:
        """Indexes of the comments not yet placed that start in ``[start, end)``."""
        first = bisect_left(self._starts, start)
        last = bisect_left(self._starts, end)
        return [i for i in range(first, last) if not self._placed[i]]

    def any_within(self, start: int, end: int) -> bool:
        return bisect_left(self._starts, start) != bisect_left(self._starts, end)

    def place(self, index: int) -> Comment:
        self._placed[index] = True
        return self.comments[index]

    def unplaced(self) -> list[Comment]:
        return [c for c, placed in zip(self.comments, self._placed, strict=True) if not placed]

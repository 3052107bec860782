"""Source positions and spec errors: the one error currency of every compiler stage.

Stages never raise on bad input; they collect ``SpecError`` values and return them.
``SpecErrors`` is raised only at the edge (``load_spec``) to carry the whole list out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sentinel_spec.limits import MAX_SHOWN_ERRORS


@dataclass(frozen=True, order=True, slots=True)
class SourceSpan:
    """A region of a source file: 1-based line/column, end exclusive; offsets are 0-based."""

    line: int
    column: int
    end_line: int
    end_column: int
    start_offset: int = 0
    end_offset: int = 0
    file: str = "app.sq"


# A diagnostic's message quotes what the user wrote; past this it is cut, so a name or
# string of a megabyte cannot make an error message of a megabyte.
MAX_MESSAGE_CHARS = 500
# The source line is shown whole up to this width, else as a window around the caret.
SHOWN_LINE_CHARS = 400


@dataclass(frozen=True)
class SpecError:
    span: SourceSpan
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        for name in ("message", "hint"):
            text = getattr(self, name)
            if text is not None and len(text) > MAX_MESSAGE_CHARS:
                object.__setattr__(self, name, text[: MAX_MESSAGE_CHARS - 1] + "…")

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.message)


class SpecErrors(Exception):
    """Raised by ``load_spec`` when a spec has errors; holds all of them, sorted."""

    def __init__(self, errors: Sequence[SpecError], sources: dict[str, str] | None = None):
        self.errors = sorted(errors, key=SpecError.sort_key)
        self.sources = sources or {}
        super().__init__(f"{len(self.errors)} error(s) in spec")

    def render(self, limit: int | None = MAX_SHOWN_ERRORS) -> str:
        return render_errors(self.errors, self.sources, limit)


class LineIndex:
    """Where each line of a source starts, found once: any line is then a slice."""

    def __init__(self, source: str) -> None:
        self.source = source
        starts = [0]
        find = source.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.starts = starts

    def line(self, number: int) -> str | None:
        """The text of 1-based line ``number`` without its line break, or None."""
        if not 1 <= number <= len(self.starts):
            return None
        begin = self.starts[number - 1]
        end = self.starts[number] - 1 if number < len(self.starts) else len(self.source)
        return self.source[begin:end]


def render_error(error: SpecError, source: str | LineIndex | None) -> str:
    """``file:line:col: error: message``, the source line, a caret span and the hint."""
    span = error.span
    lines = [f"{span.file}:{span.line}:{span.column}: error: {error.message}"]
    index = LineIndex(source) if isinstance(source, str) else source
    text = index.line(span.line) if index is not None else None
    if text is not None:
        text = text.expandtabs(1)
        start = span.column - 1
        if span.end_line == span.line:
            width = max(1, span.end_column - span.column)
        else:
            width = max(1, len(text) - start)
        shown, start, width = _window(text, start, width)
        lines.append(f"  {shown}")
        lines.append("  " + " " * start + "^" * width)
    if error.hint:
        lines.append(f"  hint: {error.hint}")
    return "\n".join(lines)


def _window(text: str, start: int, width: int) -> tuple[str, int, int]:
    """A long line cut to the part around the caret; the caret's start and width in it."""
    if len(text) <= SHOWN_LINE_CHARS:
        return text, start, width
    begin = max(0, min(start - SHOWN_LINE_CHARS // 4, len(text) - SHOWN_LINE_CHARS))
    end = begin + SHOWN_LINE_CHARS
    head = "…" if begin > 0 else ""
    tail = "…" if end < len(text) else ""
    caret = start - begin + len(head)
    width = max(1, min(width, end - max(start, begin)))
    return head + text[begin:end] + tail, caret, width


def render_errors(
    errors: Iterable[SpecError], sources: dict[str, str], limit: int | None = None
) -> str:
    """Every error (or the first ``limit``, then how many more), in source order.

    Linear in the size of the sources: each is indexed once, whatever the error count.
    """
    ordered = sorted(errors, key=SpecError.sort_key)
    shown = ordered if limit is None else ordered[:limit]
    indexes: dict[str, LineIndex] = {}
    rendered = []
    for error in shown:
        file = error.span.file
        if file not in indexes and file in sources:
            indexes[file] = LineIndex(sources[file])
        rendered.append(render_error(error, indexes.get(file)))
    hidden = len(ordered) - len(shown)
    if hidden:
        rendered.append(more_errors(hidden))
    return "\n".join(rendered)


def more_errors(hidden: int) -> str:
    """The line that stands for the errors not printed."""
    return f"... and {hidden:,} more error{'s' if hidden != 1 else ''} (fix the ones above first)"


# "did you mean" compares a name with every candidate (difflib, quadratic in the name's
# length): a spec of 20,000 unknown references to 20,000 declarations would take hours.
# One compile may make this many comparisons; past them, errors come without the hint.
SUGGESTION_BUDGET = 10_000
_budget: ContextVar[list[int] | None] = ContextVar("suggestion_budget", default=None)


@contextmanager
def suggestion_budget(comparisons: int = SUGGESTION_BUDGET) -> Iterator[None]:
    """Bound the suggestions made inside the block (each compile stage opens one)."""
    token = _budget.set([comparisons])
    try:
        yield
    finally:
        _budget.reset(token)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a typo most likely meant, or None when nothing is close (or the
    budget of comparisons is spent)."""
    import difflib

    budget = _budget.get()
    if budget is not None and budget[0] <= 0:
        return None
    pool = sorted(set(candidates))
    if budget is not None:
        budget[0] -= len(pool)
        if budget[0] < 0:
            return None
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(name.lower())


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A ``did you mean `X`?`` hint, or None."""
    match = closest(name, candidates)
    return f"did you mean `{match}`?" if match else None

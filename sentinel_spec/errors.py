"""Source positions and spec errors: the one error currency of every compiler stage.

Stages never raise on bad input; they collect ``SpecError`` values and return them.
``SpecErrors`` is raised only at the edge (``load_spec``) to carry the whole list out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceSpan:
    """A region of a source file: 1-based line/column, end exclusive; offsets are 0-based."""

    line: int
    column: int
    end_line: int
    end_column: int
    start_offset: int = 0
    end_offset: int = 0
    file: str = "app.sq"


@dataclass(frozen=True)
class SpecError:
    span: SourceSpan
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.message)


class SpecErrors(Exception):
    """Raised by ``load_spec`` when a spec has errors; holds all of them, sorted."""

    def __init__(self, errors: Sequence[SpecError], sources: dict[str, str] | None = None):
        self.errors = sorted(errors, key=SpecError.sort_key)
        self.sources = sources or {}
        super().__init__(f"{len(self.errors)} error(s) in spec")

    def render(self) -> str:
        return render_errors(self.errors, self.sources)


def render_error(error: SpecError, source: str | None) -> str:
    """``file:line:col: error: message``, the source line, a caret span and the hint."""
    span = error.span
    lines = [f"{span.file}:{span.line}:{span.column}: error: {error.message}"]
    if source is not None:
        source_lines = source.split("\n")
        if 1 <= span.line <= len(source_lines):
            text = source_lines[span.line - 1].expandtabs(1)
            lines.append(f"  {text}")
            if span.end_line == span.line:
                width = max(1, span.end_column - span.column)
            else:
                width = max(1, len(text) - span.column + 1)
            lines.append("  " + " " * (span.column - 1) + "^" * width)
    if error.hint:
        lines.append(f"  hint: {error.hint}")
    return "\n".join(lines)


def render_errors(errors: Iterable[SpecError], sources: dict[str, str]) -> str:
    ordered = sorted(errors, key=SpecError.sort_key)
    return "\n".join(render_error(e, sources.get(e.span.file)) for e in ordered)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a typo most likely meant, or None when nothing is close."""
    import difflib

    pool = sorted(set(candidates))
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(name.lower())


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A ``did you mean `X`?`` hint, or None."""
    match = closest(name, candidates)
    return f"did you mean `{match}`?" if match else None

"""Sentinel: compile an ``app.sq`` spec into a Starlette app in ``generated/``.

``load_spec`` runs parse and analysis; ``build`` adds generation and writing.
Both are cheap to import: heavy modules load inside the functions that need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sentinel_spec.appspec import AppSpec


@dataclass(frozen=True)
class BuildResult:
    spec: AppSpec
    written: tuple[str, ...]  # paths relative to the output folder
    removed: tuple[str, ...]
    stale: tuple[str, ...]  # with check=True: what a build would change


def load_spec(path: str | Path) -> AppSpec:
    """Parse and check a spec file; raise ``SpecErrors`` holding every problem found."""
    from sentinel_spec.analyzer import analyze
    from sentinel_spec.errors import SpecErrors
    from sentinel_spec.gc_pause import gc_paused
    from sentinel_spec.parser import parse

    spec_path = Path(path)
    source = _read_source(spec_path)
    with gc_paused():
        module, errors = parse(source, spec_path.name)
        spec, analysis_errors = analyze(module, spec_path.parent, spec_path.name)
    errors = errors + analysis_errors
    if errors or spec is None:
        raise SpecErrors(errors, {spec_path.name: source})
    if spec.source_dir is None:
        from dataclasses import replace

        spec = replace(spec, source_dir=str(spec_path.parent.resolve()))
    return spec


def _read_source(spec_path: Path) -> str:
    """The spec's text; raise ``SpecErrors`` at the first byte that is not UTF-8."""
    from sentinel_spec.errors import SourceSpan, SpecError, SpecErrors
    from sentinel_spec.limits import MAX_SPEC_BYTES

    size = spec_path.stat().st_size
    if size > MAX_SPEC_BYTES:  # refused before a byte is read
        from sentinel_spec.parser import file_too_large

        raise SpecErrors([file_too_large(spec_path.name, size, "bytes")])
    data = spec_path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as bad:
        # Shown with the bad bytes replaced, so the caret still lands on them.
        before = data[: bad.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        offset = len(before)
        span = SourceSpan(line, column, line, column + 1, offset, offset + 1, spec_path.name)
        error = SpecError(
            span,
            f"{spec_path.name} is not UTF-8 text: byte 0x{data[bad.start]:02x} cannot start "
            "or continue a character",
            "save the file as UTF-8",
        )
        shown = data.decode("utf-8", errors="replace")
        raise SpecErrors([error], {spec_path.name: shown}) from None


def build(path: str | Path, out_dir: str | Path | None = None, check: bool = False) -> BuildResult:
    """Compile ``path`` into ``out_dir`` (default: ``generated/`` beside the spec).

    With ``check`` nothing is written; ``stale`` lists what a build would change.
    """
    from sentinel_spec.gc_pause import gc_paused
    from sentinel_spec.generator import generate
    from sentinel_spec.writer import plan, write

    spec_path = Path(path)
    with gc_paused():
        spec = load_spec(spec_path)
        drafts = generate(spec)
    target = Path(out_dir) if out_dir is not None else spec_path.parent / "generated"
    if check:
        changes = plan(drafts, target)
        return BuildResult(spec, (), (), changes.stale)
    result = write(drafts, target)
    return BuildResult(spec, result.written, result.removed, ())

"""``sentinel import-wasp PATH``: a Wasp app as a Sentinel project.

Reads ``main.wasp`` (``wasp_dsl``) or ``main.wasp.ts`` (``wasp_ts``) and
``schema.prisma`` (``prisma``), converts them (``convert``) into ``app.sq`` in the
canonical layout, writes a Python stub for every function the spec imports, and checks
the result with the compiler. Whatever cannot be carried over is listed with its
``file:line:col``; see docs/import-wasp.md for the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sentinel_spec.errors import SpecError
from sentinel_spec.importer.convert import Converter, Note
from sentinel_spec.importer.values import WaspSyntaxError, WDecl
from sentinel_spec.stubs import StubReport

__all__ = ["ImportResult", "WaspNotFound", "import_wasp", "read_project"]

SPEC_NAMES = ("main.wasp", "main.wasp.ts")


class WaspNotFound(Exception):
    pass


@dataclass
class ImportResult:
    spec_file: Path
    notes: list[Note] = field(default_factory=list)
    stubs: StubReport = field(default_factory=StubReport)
    errors: list[SpecError] = field(default_factory=list)  # from checking app.sq
    source: str = ""


def read_project(folder: Path) -> tuple[list[WDecl], list[Note], Path, str | None]:
    """The Wasp declarations of ``folder``, problems met reading them, the spec file read,
    and the text of ``schema.prisma`` (if any)."""
    from sentinel_spec.importer.wasp_dsl import read_wasp
    from sentinel_spec.importer.wasp_ts import read_wasp_ts

    spec = next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), None)
    if spec is None:
        found = sorted(folder.glob("*.wasp"))
        spec = found[0] if found else None
    if spec is None:
        raise WaspNotFound(f"no main.wasp or main.wasp.ts in {folder}")
    text = spec.read_text(encoding="utf-8")
    notes: list[Note] = []
    if spec.name.endswith(".ts"):
        source = read_wasp_ts(text, spec.name)
        decls = source.decls
        notes += [Note(pos, "this part of the file", why) for pos, why in source.problems]
    else:
        decls = read_wasp(text, spec.name)
    prisma = folder / "schema.prisma"
    return decls, notes, spec, prisma.read_text(encoding="utf-8") if prisma.is_file() else None


def import_wasp(folder: Path, out: Path) -> ImportResult:
    """Convert the Wasp app in ``folder`` into a Sentinel project in ``out``.

    Raises ``WaspNotFound``, or ``WaspSyntaxError`` when a file cannot be read at all.
    """
    from sentinel_spec import load_spec
    from sentinel_spec.errors import SpecErrors
    from sentinel_spec.fmt import format_source
    from sentinel_spec.importer.prisma import read_prisma
    from sentinel_spec.stubs import write_stubs

    decls, notes, _, prisma_text = read_project(folder)
    prisma = read_prisma(prisma_text, "schema.prisma") if prisma_text is not None else None
    converter = Converter()
    conversion = converter.convert(decls, prisma)
    text = format_source(conversion.text)
    out.mkdir(parents=True, exist_ok=True)
    spec_file = out / "app.sq"
    spec_file.write_text(text, encoding="utf-8")
    (out / "src").mkdir(exist_ok=True)
    init = out / "src" / "__init__.py"
    if not init.exists():
        init.write_text("")
    report = write_stubs(out, conversion.stubs)
    every_note = sorted(notes + conversion.notes, key=Note.sort_key)
    result = ImportResult(spec_file, every_note, report, source=text)
    try:
        load_spec(spec_file)
    except SpecErrors as errors:
        result.errors = errors.errors
    return result


__all__ += ["WaspSyntaxError"]

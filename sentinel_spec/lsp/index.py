"""One analysed version of a spec: its diagnostics and an index of names for the editor.

``analyse`` runs the compiler's own parser and analyzer on the text in the editor, so
the diagnostics are those of ``sentinel check`` (errors, then the "not served yet"
warnings of a clean spec). The index records every declaration, every reference to one
(with the kind the schema expects there) and every import with its role (``query.fn``),
by walking the syntax tree along the schemas.

Python modules are read through ``CachedImports``: a module is re-read only when its
file changed, so re-checking after each keystroke does not re-parse ``src/``.
"""

from __future__ import annotations

import ast as pyast
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sentinel_spec import ast
from sentinel_spec.analyzer import schema as s
from sentinel_spec.analyzer.build import BuiltCache
from sentinel_spec.analyzer.resolve import ImportResolver, ModuleNames, module_level_names
from sentinel_spec.appspec import AppSpec
from sentinel_spec.errors import SourceSpan, SpecError
from sentinel_spec.fmt import declaration_kind
from sentinel_spec.gc_pause import gc_paused
from sentinel_spec.lsp.schema_paths import unwrap


@dataclass(frozen=True)
class Reference:
    """A name used in value position: ``entities: [Task]``, a field's type, ``to: Home``."""

    name: str
    span: SourceSpan
    kind: str | None  # the declaration kind the schema expects; None: entity or enum


@dataclass(frozen=True)
class ImportSite:
    expr: ast.ImportExpr
    role: str  # the schema path where it sits: "query.fn", "app.db.seeds[]"
    owner: str  # "query `getTasks`"


@dataclass(frozen=True)
class KeySite:
    """A dict key as written, with its schema path (for hover)."""

    key: ast.Ident
    path: tuple[str, ...]


@dataclass
class Index:
    declarations: dict[str, ast.Declaration] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    imports: list[ImportSite] = field(default_factory=list)
    keys: list[KeySite] = field(default_factory=list)

    def names_of(self, kind: str) -> list[str]:
        return [n for n, d in self.declarations.items() if declaration_kind(d) == kind]

    def kind_of(self, name: str) -> str | None:
        decl = self.declarations.get(name)
        return None if decl is None else declaration_kind(decl)


@dataclass(frozen=True)
class SpecWarning:
    span: SourceSpan
    message: str


@dataclass
class Analysis:
    source: str
    module: ast.Module
    errors: list[SpecError]
    warnings: list[SpecWarning]
    spec: AppSpec | None
    parsed_whole: bool  # no syntax error: every declaration is in the index

    @cached_property
    def index(self) -> Index:
        """Built on the first request that needs names, not for every re-check."""
        return build_index(self.module)


class CachedImports(ImportResolver):
    """An ``ImportResolver`` that keeps what it read across analyses, per file mtime."""

    def __init__(self, spec_dir: Path) -> None:
        super().__init__(spec_dir)
        self._stamps: dict[str, tuple[int, ...]] = {}
        self._files: dict[str, tuple[str, ...]] = {}  # module -> the files it may be
        self.generation = 0  # grows when a module file read before has changed

    def begin(self) -> None:
        """A new analysis: look at every module file read so far, once."""
        for module, stamp in list(self._stamps.items()):
            if self._stamp(module) != stamp:
                self._modules.pop(module, None)
                del self._stamps[module]
                self.generation += 1

    def _names(self, module: str) -> ModuleNames | str:
        if module not in self._stamps:
            self._modules.pop(module, None)
            self._stamps[module] = self._stamp(module)
        return super()._names(module)

    def _stamp(self, module: str) -> tuple[int, ...]:
        files = self._files.get(module)
        if files is None:  # built once: every keystroke stats every module read
            relative = Path(*module.split("."))
            files = self._files[module] = tuple(
                str(self.spec_dir / candidate)
                for candidate in (relative.with_suffix(".py"), relative / "__init__.py")
            )
        stamp: list[int] = []
        for file in files:
            try:
                stat = os.stat(file)
            except OSError:
                stamp += [-1, -1]
            else:
                stamp += [stat.st_mtime_ns, stat.st_size]
        return tuple(stamp)

    def forget(self) -> None:
        self._modules.clear()
        self._stamps.clear()
        self.generation += 1


class CheckCache:
    """The body checks of declarations that did not change (``analyze(checked=...)``).

    ``ChunkedParser`` hands back the same declaration objects for text that did not
    change, even when it moved, so a check is kept by the declaration's identity. Only
    checks that found nothing are kept: a declaration with errors is checked again each
    time, in its turn, so its messages (and their "did you mean" hints, which share one
    budget per check) are those of a full check.

    A body check reads the namespace only to ask which kind a referenced name has, so
    a clean check stays clean while every name the body mentions keeps its kind; all
    are dropped when an imported Python file changed.
    """

    def __init__(self) -> None:
        self.checked: dict[int, tuple[ast.Decl, list[SpecError]]] = {}
        self._kinds: dict[str, str] = {}  # name -> kind, as the kept checks saw them
        self._mentions: dict[int, tuple[ast.Decl, frozenset[str]]] = {}
        self._generation = -1
        # Built AppSpec values by declaration (``analyze(built=...)``): a builder reads
        # nothing but its declaration, so these stay while the declaration does.
        self.built: BuiltCache = {}

    def for_module(
        self, module: ast.Module, imports: CachedImports
    ) -> dict[int, tuple[ast.Decl, list[SpecError]]]:
        kinds: dict[str, str] = {}
        for decl in module.declarations:  # the namespace keeps a name's first declaration
            kinds.setdefault(decl.name.name, declaration_kind(decl))
        old = self._kinds
        changed = {n for n in kinds.keys() | old.keys() if kinds.get(n) != old.get(n)}
        fresh = imports.generation == self._generation
        kept: dict[int, tuple[ast.Decl, list[SpecError]]] = {}
        mentions: dict[int, tuple[ast.Decl, frozenset[str]]] = {}
        for decl in module.declarations:
            hit = self.checked.get(id(decl)) if fresh else None
            if hit is None or hit[0] is not decl or hit[1]:
                continue
            known = self._mentions.get(id(decl))
            if known is None or known[0] is not decl:
                known = (decl, frozenset(_mentioned(decl.body)))
            if changed and not changed.isdisjoint(known[1]):
                continue
            kept[id(decl)] = hit
            mentions[id(decl)] = known
        self._kinds, self._generation = kinds, imports.generation
        self.checked, self._mentions = kept, mentions
        alive = {id(d) for d in module.declarations}
        for gone in [k for k, (decl, _, _) in self.built.items() if k not in alive]:
            del self.built[gone]
        return kept


def _mentioned(expr: ast.Expr) -> Iterator[str]:
    """Every bare name in a body: all a body check may look up in the namespace."""
    if isinstance(expr, ast.Ref):
        yield expr.name
    elif isinstance(expr, ast.DictExpr):
        for entry in expr.entries:
            yield from _mentioned(entry.value)
    elif isinstance(expr, ast.ListExpr | ast.TupleExpr):
        for item in expr.items:
            yield from _mentioned(item)
    elif isinstance(expr, ast.EnvExpr) and expr.default is not None:
        yield from _mentioned(expr.default)


# The slots of a span, written directly: a piece that moved has its spans' positions
# rewritten in place, which is far cheaper than building its tree again.
def _slot_setter(name: str) -> Callable[[SourceSpan, int], None]:
    descriptor: Any = SourceSpan.__dict__[name]  # the slot's member descriptor
    setter: Callable[[SourceSpan, int], None] = descriptor.__set__
    return setter


_SET_LINE = _slot_setter("line")
_SET_END_LINE = _slot_setter("end_line")
_SET_START = _slot_setter("start_offset")
_SET_END = _slot_setter("end_offset")


@dataclass(eq=False)
class _Piece:
    """One piece of the file, parsed alone, with its positions where it now sits."""

    declarations: list[ast.Declaration]
    errors: list[SpecError]
    syntax_ok: bool  # parses alone (it may still have value-level errors)
    spans: list[SourceSpan]  # every span in ``declarations`` and ``errors``, once
    line: int = 0  # lines above the piece that its spans count in
    begin: int = 0  # characters before it
    used: int = -1  # the parse that placed it last (a text may occur twice)

    def move_to(self, line: int, begin: int) -> None:
        lines, offset = line - self.line, begin - self.begin
        if lines:
            for span in self.spans:
                _SET_LINE(span, span.line + lines)
                _SET_END_LINE(span, span.end_line + lines)
        if offset:
            for span in self.spans:
                _SET_START(span, span.start_offset + offset)
                _SET_END(span, span.end_offset + offset)
        self.line, self.begin = line, begin


class ChunkedParser:
    """``parse`` for a file edited a little at a time: each declaration is re-parsed only
    when its own text changed.

    The file is split where the parser's error recovery splits it (a line starting a
    declaration, ``declaration_bounds``); each piece is parsed alone once and kept by its
    text; when it moves, its spans are moved in place. When every piece parses, the file
    does, and the answer is the pieces joined. When one does not, the rest of the file
    from it is parsed to learn whether the whole file fails (it reads the same); if it
    does, ``parse_recovering`` runs the error recovery of ``parse`` with the clean pieces
    taken from here; if not, the file is parsed whole. Either way the answer is exactly
    ``parse``'s.

    The nodes of an answer are shared with the next answers wherever the text did not
    change, and so are their spans, which follow the text: read an answer's positions
    before parsing the next version.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece] = {}
        self._parses = 0

    def parse(self, source: str, file: str) -> tuple[ast.Module, list[SpecError]]:
        from sentinel_spec.limits import MAX_SPEC_BYTES
        from sentinel_spec.parser import (
            assemble,
            declaration_bounds,
            parse,
            parse_in_place,
            parse_recovering,
            parses_alone,
        )

        if len(source) > MAX_SPEC_BYTES:
            self._pieces = {}
            return parse(source, file)
        self._parses += 1
        bounds = declaration_bounds(source)
        pieces: dict[str, _Piece] = {}
        at_begin: dict[int, _Piece] = {}
        broken_at: int | None = None
        line = 0
        for begin, end in itertools.pairwise(bounds):
            text = source[begin:end]
            piece = pieces.get(text) or self._pieces.get(text)
            if piece is None or piece.used == self._parses:  # new, or its second copy
                piece = _parse_piece(text, file)
                pieces.setdefault(text, piece)
            else:
                pieces[text] = piece
            piece.used = self._parses
            piece.move_to(line, begin)
            at_begin[begin] = piece
            if broken_at is None and not piece.syntax_ok:
                broken_at = begin
            line += text.count("\n")
        self._pieces = pieces
        if broken_at is None:  # every piece parses, so the file does
            declarations: list[ast.Declaration] = []
            errors: list[SpecError] = []
            for (begin, piece), end in zip(at_begin.items(), bounds[1:], strict=True):
                if not piece.errors:
                    declarations += piece.declarations
                    continue
                # Value-level errors may name lines ("first given at line 3"): parse
                # the piece where it is, as the whole file reads it.
                found = parse_in_place(source, begin, end, piece.line, file)
                if found is None:  # cannot happen: the piece parsed alone
                    return parse(source, file)
                declarations += found[0]
                errors += found[1]
            return assemble(source, file, declarations, errors)
        if parses_alone(source[broken_at:], file):  # the file parses after all (rare)
            return parse(source, file)

        def reuse(begin: int, end: int, line_shift: int) -> list[ast.Declaration] | None:
            piece = at_begin[begin]
            return None if piece.errors or not piece.syntax_ok else piece.declarations

        return parse_recovering(source, file, bounds, reuse)


def _parse_piece(text: str, file: str) -> _Piece:
    from sentinel_spec.parser import parse, parses_alone

    module, errors = parse(text, file)
    spans: dict[int, SourceSpan] = {}
    _collect_spans((module.declarations, tuple(errors)), spans)
    return _Piece(
        list(module.declarations),
        errors,
        not errors or parses_alone(text, file),
        list(spans.values()),
    )


def _collect_spans(node: object, into: dict[int, SourceSpan]) -> None:
    if isinstance(node, SourceSpan):
        into[id(node)] = node
    elif isinstance(node, tuple):
        for item in node:
            _collect_spans(item, into)
    else:
        for name in getattr(type(node), "__dataclass_fields__", ()):
            _collect_spans(getattr(node, name), into)


def analyse(
    source: str,
    file: str,
    spec_dir: Path,
    imports: ImportResolver,
    parser: ChunkedParser | None = None,
    checks: CheckCache | None = None,
) -> Analysis:
    """Parse and check ``source`` as the file ``spec_dir/file``; index what parsed."""
    from sentinel_spec.analyzer import analyze
    from sentinel_spec.parser import parse

    with gc_paused():  # as in ``load_spec``: the check allocates much and frees little
        module, errors = parser.parse(source, file) if parser is not None else parse(source, file)
        checked = built = None
        if isinstance(imports, CachedImports):
            imports.begin()
            if checks is not None:
                checked, built = checks.for_module(module, imports), checks.built
        # A spec with syntax errors gets no warnings (below), so its AppSpec is not built.
        spec, analysis_errors = analyze(
            module,
            spec_dir,
            file,
            imports=imports,
            checked=checked,
            build=not errors,
            built=built,
        )
        warnings: list[SpecWarning] = []
        if spec is not None and not errors:
            warnings = not_served_warnings(spec, module)
    return Analysis(
        source,
        module,
        sorted(errors + analysis_errors, key=SpecError.sort_key),
        warnings,
        spec,
        parsed_whole=not errors,
    )


def not_served_warnings(spec: AppSpec, module: ast.Module) -> list[SpecWarning]:
    """``sentinel check``'s "not served yet" lines, at the first declaration each names."""
    from sentinel_spec.contract.features import unserved

    warnings = []
    for found in unserved(spec.declared_features()):
        first = found.where.split(",")[0].strip()
        name = "app" if first.startswith("app.") else first.partition(" ")[2]
        decl = next(
            (
                d
                for d in module.declarations
                if (declaration_kind(d) == "app" if name == "app" else d.name.name == name)
            ),
            None,
        )
        if decl is not None:
            warnings.append(SpecWarning(decl.name.span, found.not_served_line()))
    return warnings


# ---------------------------------------------------------------- the index


def build_index(module: ast.Module) -> Index:
    index = Index()
    for decl in module.declarations:
        index.declarations.setdefault(decl.name.name, decl)
        if isinstance(decl, ast.EntityDecl):
            for f in decl.fields:
                index.references.append(Reference(f.type.name.name, f.type.name.span, None))
        elif isinstance(decl, ast.Decl):
            kind = decl.kind.name
            body = s.DECL_SCHEMAS.get(kind)
            _walk(decl.body, body, (kind,), f"{kind} `{decl.name.name}`", index)
    return index


def _walk(
    expr: ast.Expr, t: s.Type | None, path: tuple[str, ...], owner: str, index: Index
) -> None:
    forms = unwrap(t) if t is not None else []
    if isinstance(expr, ast.DictExpr):
        fields = next((f.fields for f in forms if isinstance(f, s.DictT)), {})
        for entry in expr.entries:
            key_path = (*path, entry.key.name)
            index.keys.append(KeySite(entry.key, key_path))
            spec = fields.get(entry.key.name)
            _walk(entry.value, spec.type if spec else None, key_path, owner, index)
    elif isinstance(expr, ast.ListExpr):
        item = next((f.item for f in forms if isinstance(f, s.ListT)), None)
        for value in expr.items:
            _walk(value, item, (*path, "[]"), owner, index)
    elif isinstance(expr, ast.TupleExpr | ast.EnvExpr):
        values: tuple[ast.Expr | None, ...] = (
            expr.items if isinstance(expr, ast.TupleExpr) else (expr.default,)
        )
        for inner in values:
            if inner is not None:
                _walk(inner, None, path, owner, index)
    elif isinstance(expr, ast.ImportExpr):
        index.imports.append(ImportSite(expr, ".".join(path), owner))
    elif isinstance(expr, ast.Ref):
        ref_kind = next((f.kind for f in forms if isinstance(f, s.DeclRefT)), None)
        if ref_kind is not None:
            index.references.append(Reference(expr.name, expr.span, ref_kind))


# ---------------------------------------------------------------- python modules


@dataclass(frozen=True)
class PythonName:
    name: str
    line: int  # 1-based
    column: int  # 0-based
    signature: str  # "async def get_cases(args, context)" or "class X" or "x = ..."


def python_names(path: Path) -> list[PythonName]:
    """What a module defines at top level, with where and a one-line signature."""
    try:
        tree = pyast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return []
    wanted = module_level_names(tree).names
    found: dict[str, PythonName] = {}
    for node in pyast.walk(tree):
        if isinstance(node, pyast.FunctionDef | pyast.AsyncFunctionDef | pyast.ClassDef):
            if node.name in wanted and node.name not in found:
                found[node.name] = PythonName(
                    node.name, node.lineno, node.col_offset, _signature(node)
                )
        elif isinstance(node, pyast.Assign | pyast.AnnAssign):
            targets = node.targets if isinstance(node, pyast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, pyast.Name) and target.id in wanted:
                    found.setdefault(
                        target.id,
                        PythonName(target.id, node.lineno, node.col_offset, f"{target.id} = ..."),
                    )
    for name in sorted(wanted - set(found)):  # imported names: no position of their own
        found[name] = PythonName(name, 1, 0, f"{name} (imported)")
    return sorted(found.values(), key=lambda n: (n.line, n.name))


def _signature(node: pyast.FunctionDef | pyast.AsyncFunctionDef | pyast.ClassDef) -> str:
    if isinstance(node, pyast.ClassDef):
        return f"class {node.name}"
    prefix = "async def" if isinstance(node, pyast.AsyncFunctionDef) else "def"
    returns = f" -> {pyast.unparse(node.returns)}" if node.returns is not None else ""
    return f"{prefix} {node.name}({pyast.unparse(node.args)}){returns}"


def module_path(spec_dir: Path, import_path: str) -> Path | None:
    """The existing file an ``@src/...`` import names, or None."""
    module = ImportResolver.module_of(import_path)
    if module is None:
        return None
    relative = Path(*module.split("."))
    for candidate in (relative.with_suffix(".py"), relative / "__init__.py"):
        if (spec_dir / candidate).is_file():
            return spec_dir / candidate
    return None


def span_contains(span: SourceSpan, offset: int) -> bool:
    return span.start_offset <= offset <= span.end_offset


def find_at(items: Sequence[Reference], offset: int) -> Reference | None:
    return next((r for r in items if span_contains(r.span, offset)), None)

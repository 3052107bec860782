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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sentinel_spec import ast
from sentinel_spec.analyzer import schema as s
from sentinel_spec.analyzer.resolve import ImportResolver, ModuleNames, module_level_names
from sentinel_spec.appspec import AppSpec
from sentinel_spec.errors import SourceSpan, SpecError
from sentinel_spec.fmt import declaration_kind
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
        relative = Path(*module.split("."))
        stamp: list[int] = []
        for candidate in (relative.with_suffix(".py"), relative / "__init__.py"):
            try:
                stat = os.stat(self.spec_dir / candidate)
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
    """The body checks of declarations that did not change (``analyze(checked=...)``),
    valid while the names declared and the imported files stay the same."""

    def __init__(self) -> None:
        self.checked: dict[int, tuple[ast.Decl, list[SpecError]]] = {}
        self._key: tuple[object, ...] | None = None

    def for_module(
        self, module: ast.Module, imports: CachedImports
    ) -> dict[int, tuple[ast.Decl, list[SpecError]]]:
        key = (
            imports.generation,
            *((declaration_kind(d), d.name.name) for d in module.declarations),
        )
        if key != self._key:
            self.checked.clear()
            self._key = key
        alive = {id(d) for d in module.declarations}
        for stale in [k for k in self.checked if k not in alive]:
            del self.checked[stale]
        return self.checked


class ChunkedParser:
    """``parse`` for a file edited a little at a time: each declaration is re-parsed only
    when its own text changed.

    The file is split where the parser's error recovery splits it (a line starting a
    declaration); each piece's tree is kept by its text, with positions relative to it,
    and moved to where the piece now is. When any piece has a syntax error the whole file
    is parsed again, so the diagnostics are exactly those of ``sentinel check``.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, tuple[list[ast.Declaration], bool]] = {}
        self._placed: dict[tuple[str, int, int], list[ast.Declaration]] = {}

    def parse(self, source: str, file: str) -> tuple[ast.Module, list[SpecError]]:
        import re

        from sentinel_spec.parser import declaration_start_pattern, parse

        starts = [
            m.start()
            for m in re.finditer(declaration_start_pattern(), source, re.MULTILINE)
            if m.group("kind")
        ]
        bounds = [0, *(b for b in starts if b > 0), len(source)]
        pieces: dict[str, tuple[list[ast.Declaration], bool]] = {}
        placed: dict[tuple[str, int, int], list[ast.Declaration]] = {}
        declarations: list[ast.Declaration] = []
        line = 0
        for begin, end in itertools.pairwise(bounds):
            text = source[begin:end]
            piece = self._pieces.get(text) or pieces.get(text)
            if piece is None:
                module, errors = parse(text, file)
                piece = (list(module.declarations), not errors)
            pieces[text] = piece
            if not piece[1]:  # a syntax error: parse as `sentinel check` does
                self._pieces, self._placed = pieces, {}
                return parse(source, file)
            key = (text, line, begin)
            moved = self._placed.get(key)
            if moved is None:
                moved = [_moved(d, line, begin) for d in piece[0]] if (line or begin) else piece[0]
            placed[key] = moved
            declarations += moved
            line += text.count("\n")
        self._pieces, self._placed = pieces, placed
        lines = source.split("\n")
        whole = SourceSpan(1, 1, len(lines), len(lines[-1]) + 1, 0, len(source), file)
        return ast.Module(tuple(declarations), whole), []


def _moved(node: object, lines: int, offset: int) -> Any:
    """``node`` with every span moved down ``lines`` lines and on ``offset`` characters."""
    if isinstance(node, SourceSpan):
        return SourceSpan(
            node.line + lines,
            node.column,
            node.end_line + lines,
            node.end_column,
            node.start_offset + offset,
            node.end_offset + offset,
            node.file,
        )
    if isinstance(node, tuple):
        return tuple(_moved(item, lines, offset) for item in node)
    fields = getattr(type(node), "__dataclass_fields__", None)
    if fields is None:
        return node
    return type(node)(*(_moved(getattr(node, name), lines, offset) for name in fields))


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

    module, errors = parser.parse(source, file) if parser is not None else parse(source, file)
    checked = None
    if isinstance(imports, CachedImports):
        imports.begin()
        if checks is not None:
            checked = checks.for_module(module, imports)
    spec, analysis_errors = analyze(module, spec_dir, file, imports=imports, checked=checked)
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

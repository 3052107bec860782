"""Names: the one namespace of declarations, references by kind, and Python imports.

Imports are checked without importing user code: the module file is parsed with
Python's ``ast`` and its module-level names collected, once per file.
"""

from __future__ import annotations

import ast as pyast
from dataclasses import dataclass
from pathlib import Path

from sentinel_spec import ast
from sentinel_spec.analyzer.messages import suggest, with_article
from sentinel_spec.errors import SourceSpan, SpecError

SRC_PREFIX = "@src/"


def decl_kind(decl: ast.Declaration) -> str:
    if isinstance(decl, ast.EntityDecl):
        return "entity"
    if isinstance(decl, ast.EnumDecl):
        return "enum"
    return decl.kind.name


@dataclass
class Namespace:
    """Every declaration by name (the first one when a name is declared twice)."""

    by_name: dict[str, ast.Declaration]
    by_kind: dict[str, list[str]]

    def kind_of(self, name: str) -> str | None:
        decl = self.by_name.get(name)
        return None if decl is None else decl_kind(decl)

    def names_of(self, kind: str) -> list[str]:
        return self.by_kind.get(kind, [])


def collect_namespace(module: ast.Module) -> tuple[Namespace, list[SpecError]]:
    """Index declarations by name; a second declaration of a name is an error at its name."""
    by_name: dict[str, ast.Declaration] = {}
    by_kind: dict[str, list[str]] = {}
    errors: list[SpecError] = []
    for decl in module.declarations:
        name = decl.name
        first = by_name.get(name.name)
        if first is not None:
            errors.append(
                SpecError(
                    name.span,
                    f"duplicate name `{name.name}`: already declared as "
                    f"{with_article(decl_kind(first))} on line {first.name.span.line}",
                )
            )
            continue
        by_name[name.name] = decl
        by_kind.setdefault(decl_kind(decl), []).append(name.name)
    return Namespace(by_name, by_kind), errors


def check_reference(
    namespace: Namespace, name: str, span: SourceSpan, kind: str
) -> SpecError | None:
    """``None`` when ``name`` is a declaration of ``kind``; else the error to report."""
    actual = namespace.kind_of(name)
    if actual == kind:
        return None
    if actual is not None:
        return SpecError(span, f"`{name}` is {with_article(actual)}, not {with_article(kind)}")
    message = f"`{name}` is not {with_article(kind)}"
    return SpecError(span, suggest(message, name, namespace.names_of(kind)))


# ---------------------------------------------------------------- python imports


@dataclass(frozen=True)
class ModuleNames:
    """What a module file defines at top level; ``open`` when ``from x import *`` hides it."""

    names: frozenset[str]
    open: bool = False


def module_level_names(tree: pyast.Module) -> ModuleNames:
    names: set[str] = set()
    star = False

    def visit(body: list[pyast.stmt]) -> None:
        nonlocal star
        for stmt in body:
            if isinstance(stmt, pyast.FunctionDef | pyast.AsyncFunctionDef | pyast.ClassDef):
                names.add(stmt.name)
            elif isinstance(stmt, pyast.Assign):
                for target in stmt.targets:
                    names.update(_target_names(target))
            elif isinstance(stmt, pyast.AnnAssign | pyast.AugAssign):
                names.update(_target_names(stmt.target))
            elif isinstance(stmt, pyast.Import):
                for alias in stmt.names:
                    names.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(stmt, pyast.ImportFrom):
                for alias in stmt.names:
                    if alias.name == "*":
                        star = True
                    else:
                        names.add(alias.asname or alias.name)
            # Conditional definitions (``try: import x`` / ``if TYPE_CHECKING``) still
            # bind module-level names, so their bodies count.
            elif isinstance(stmt, pyast.If | pyast.With | pyast.AsyncWith):
                visit(stmt.body)
                if isinstance(stmt, pyast.If):
                    visit(stmt.orelse)
            elif isinstance(stmt, pyast.Try | pyast.TryStar):
                visit(stmt.body)
                for handler in stmt.handlers:
                    visit(handler.body)
                visit(stmt.orelse)
                visit(stmt.finalbody)

    visit(tree.body)
    return ModuleNames(frozenset(names), star)


def _target_names(target: pyast.expr) -> list[str]:
    if isinstance(target, pyast.Name):
        return [target.id]
    if isinstance(target, pyast.Tuple | pyast.List):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, pyast.Starred):
        return _target_names(target.value)
    return []


class ImportResolver:
    """Checks ``import { name } from "@src/a/b"`` against the files under ``spec_dir``.

    Each module file is read and parsed at most once per resolver (``reads`` counts it).
    """

    def __init__(self, spec_dir: Path) -> None:
        self.spec_dir = spec_dir
        self.reads = 0
        self._modules: dict[str, ModuleNames | str] = {}  # dotted module -> names or problem

    @staticmethod
    def module_of(path: str) -> str | None:
        """``"@src/a/b"`` -> ``"src.a.b"``; None when the path is not a valid ``@src/`` path."""
        if not path.startswith(SRC_PREFIX):
            return None
        rest = path[len(SRC_PREFIX) :].removesuffix(".py")
        parts = rest.split("/")
        if not all(p.isidentifier() for p in parts):
            return None
        return ".".join(["src", *parts])

    def check(self, imp: ast.ImportExpr) -> list[SpecError]:
        path = imp.path.value
        if not path.startswith(SRC_PREFIX):
            return [
                SpecError(
                    imp.path.span,
                    f'import path `{path}` must start with `{SRC_PREFIX}` (like "@src/a/b")',
                )
            ]
        module = self.module_of(path)
        if module is None:
            return [
                SpecError(
                    imp.path.span,
                    f"import path `{path}` is not a python module path "
                    "(each segment must be an identifier)",
                )
            ]
        names = self._names(module)
        if isinstance(names, str):
            return [SpecError(imp.path.span, names)]
        name = imp.name.name
        if name in names.names or names.open:
            return []
        message = f"`{name}` is not defined in `{path}`"
        return [SpecError(imp.name.span, suggest(message, name, names.names))]

    def _names(self, module: str) -> ModuleNames | str:
        cached = self._modules.get(module)
        if cached is None:
            cached = self._load(module)
            self._modules[module] = cached
        return cached

    def _load(self, module: str) -> ModuleNames | str:
        relative = Path(*module.split("."))
        candidates = [relative.with_suffix(".py"), relative / "__init__.py"]
        for candidate in candidates:
            if _is_file(self.spec_dir / candidate):
                file = self.spec_dir / candidate
                self.reads += 1
                try:
                    tree = pyast.parse(file.read_bytes(), filename=str(file))
                except SyntaxError as exc:
                    return (
                        f"cannot read `{candidate.as_posix()}`: syntax error on line {exc.lineno}"
                    )
                except (OSError, ValueError) as exc:
                    return f"cannot read `{candidate.as_posix()}`: {exc}"
                return module_level_names(tree)
        tried = " or ".join(f"`{c.as_posix()}`" for c in candidates)
        return f"module `{module}` not found: no {tried}"


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that says no, instead of raising, for a name the OS rejects (too long)."""
    try:
        return path.is_file()
    except OSError:
        return False

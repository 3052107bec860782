"""The analyzer: a parsed module -> a checked ``AppSpec``, or every error found.

Passes, in order: names (``resolve``), declaration bodies against their schema
(``check``), cross-declaration rules (``validate``), and, only when all of them are
clean, the AppSpec itself (``build``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

from sentinel_spec import ast
from sentinel_spec.analyzer.build import BuiltCache, build_appspec
from sentinel_spec.analyzer.check import Checker
from sentinel_spec.analyzer.context import Context
from sentinel_spec.analyzer.resolve import ImportResolver, collect_namespace
from sentinel_spec.analyzer.validate import validate
from sentinel_spec.appspec import AppSpec
from sentinel_spec.errors import SpecError, suggestion_budget

__all__ = ["analyze"]


def analyze(
    module: ast.Module,
    spec_dir: Path,
    file: str = "app.sq",
    *,
    imports: ImportResolver | None = None,
    checked: MutableMapping[int, tuple[ast.Decl, list[SpecError]]] | None = None,
    build: bool = True,
    built: BuiltCache | None = None,
) -> tuple[AppSpec | None, list[SpecError]]:
    """Check ``module`` (parsed from ``spec_dir/file``); the AppSpec is None iff errors exist
    (or ``build`` is False: a caller that wants only the errors skips building it).

    ``imports`` reads the Python modules imports name, and ``checked`` keeps the body check
    of each declaration object between calls: the language server passes both, keeping
    what it read between keystrokes (it empties ``checked`` when the names or the
    imported files change, since a body's check depends on them); ``built`` keeps each
    declaration's built value the same way (``build_appspec``).
    """
    with suggestion_budget():
        return _analyze(module, spec_dir, file, imports, checked, build, built)


def _analyze(
    module: ast.Module,
    spec_dir: Path,
    file: str,
    imports: ImportResolver | None,
    checked: MutableMapping[int, tuple[ast.Decl, list[SpecError]]] | None,
    build: bool,
    built: BuiltCache | None,
) -> tuple[AppSpec | None, list[SpecError]]:
    namespace, errors = collect_namespace(module)
    checker = Checker(namespace, imports if imports is not None else ImportResolver(Path(spec_dir)))
    for decl in module.declarations:
        if not isinstance(decl, ast.Decl):
            continue
        if checked is None:
            errors.extend(checker.check_decl(decl))
            continue
        hit = checked.get(id(decl))
        if hit is None or hit[0] is not decl:
            hit = checked[id(decl)] = (decl, checker.check_decl(decl))
        errors.extend(hit[1])
    ctx = Context.of(module, namespace, file)
    errors.extend(validate(ctx))
    if errors:
        return None, sorted(errors, key=SpecError.sort_key)
    return (build_appspec(ctx, built) if build else None), []

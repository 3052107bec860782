"""The analyzer: a parsed module -> a checked ``AppSpec``, or every error found.

Passes, in order: names (``resolve``), declaration bodies against their schema
(``check``), cross-declaration rules (``validate``), and, only when all of them are
clean, the AppSpec itself (``build``).
"""

from __future__ import annotations

from pathlib import Path

from sentinel_spec import ast
from sentinel_spec.analyzer.build import build_appspec
from sentinel_spec.analyzer.check import Checker
from sentinel_spec.analyzer.context import Context
from sentinel_spec.analyzer.resolve import ImportResolver, collect_namespace
from sentinel_spec.analyzer.validate import validate
from sentinel_spec.appspec import AppSpec
from sentinel_spec.errors import SpecError, suggestion_budget

__all__ = ["analyze"]


def analyze(
    module: ast.Module, spec_dir: Path, file: str = "app.sq"
) -> tuple[AppSpec | None, list[SpecError]]:
    """Check ``module`` (parsed from ``spec_dir/file``); the AppSpec is None iff errors exist."""
    with suggestion_budget():
        return _analyze(module, spec_dir, file)


def _analyze(
    module: ast.Module, spec_dir: Path, file: str
) -> tuple[AppSpec | None, list[SpecError]]:
    namespace, errors = collect_namespace(module)
    checker = Checker(namespace, ImportResolver(Path(spec_dir)))
    for decl in module.declarations:
        if isinstance(decl, ast.Decl):
            errors.extend(checker.check_decl(decl))
    ctx = Context.of(module, namespace, file)
    errors.extend(validate(ctx))
    if errors:
        return None, sorted(errors, key=SpecError.sort_key)
    return build_appspec(ctx), []

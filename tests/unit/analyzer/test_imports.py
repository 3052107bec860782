"""Import resolution: module files found, module-level names read with ``ast``, cached."""

from __future__ import annotations

from pathlib import Path

from sentinel_spec import ast
from sentinel_spec.analyzer.resolve import ImportResolver
from sentinel_spec.errors import SourceSpan

SPAN = SourceSpan(1, 1, 1, 2)

MODULE = """
import os, json as j
import xml.etree
from typing import Any as AnyType
from . import sibling
CONSTANT = 1
annotated: int = 2
first, (second, *rest) = 1, (2, 3)
counter += 1

def function(): pass
async def coroutine(): pass
class Klass:
    method_only = 1
    def method(self): pass

if os.name == "nt":
    windows_only = True
else:
    posix_only = True
try:
    import tomllib
except ImportError:
    tomllib = None
finally:
    cleaned = True

def outer():
    inner = 1
"""


def _import(name: str, path: str) -> ast.ImportExpr:
    return ast.ImportExpr(ast.Ident(name, SPAN), None, ast.StringLit(path, SPAN), SPAN)


def _write(root: Path, relative: str, text: str) -> None:
    file = root / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def test_module_level_names_count_and_nested_ones_do_not(tmp_path: Path) -> None:
    _write(tmp_path, "src/mod.py", MODULE)
    resolver = ImportResolver(tmp_path)
    defined = [
        "os", "j", "xml", "AnyType", "sibling", "CONSTANT", "annotated", "first", "second",
        "rest", "counter", "function", "coroutine", "Klass", "windows_only", "posix_only",
        "tomllib", "cleaned", "outer",
    ]  # fmt: skip
    for name in defined:
        assert resolver.check(_import(name, "@src/mod")) == [], name
    for name in ["method_only", "method", "inner", "Any", "json", "etree"]:
        assert resolver.check(_import(name, "@src/mod")), name


def test_module_file_or_package_init(tmp_path: Path) -> None:
    _write(tmp_path, "src/a/b.py", "def f(): pass\n")
    _write(tmp_path, "src/pkg/__init__.py", "def g(): pass\n")
    resolver = ImportResolver(tmp_path)
    assert resolver.check(_import("f", "@src/a/b")) == []
    assert resolver.check(_import("g", "@src/pkg")) == []
    assert ImportResolver.module_of("@src/a/b") == "src.a.b"


def test_missing_module_is_reported_at_the_path(tmp_path: Path) -> None:
    path_span = SourceSpan(3, 20, 3, 30)
    imp = ast.ImportExpr(ast.Ident("f", SPAN), None, ast.StringLit("@src/nope", path_span), SPAN)
    [error] = ImportResolver(tmp_path).check(imp)
    assert error.span == path_span
    assert "`src/nope.py`" in error.message and "`src/nope/__init__.py`" in error.message


def test_missing_name_suggests_the_closest(tmp_path: Path) -> None:
    _write(tmp_path, "src/ops.py", "def get_cases(): pass\n")
    name_span = SourceSpan(2, 5, 2, 13)
    imp = ast.ImportExpr(
        ast.Ident("get_case", name_span), None, ast.StringLit("@src/ops", SPAN), SPAN
    )
    [error] = ImportResolver(tmp_path).check(imp)
    assert error.span == name_span
    assert error.message == "`get_case` is not defined in `@src/ops`; did you mean `get_cases`?"


def test_star_import_accepts_any_name(tmp_path: Path) -> None:
    _write(tmp_path, "src/star.py", "from os.path import *\n")
    assert ImportResolver(tmp_path).check(_import("join", "@src/star")) == []


def test_syntax_error_in_user_code_is_an_error_not_a_crash(tmp_path: Path) -> None:
    _write(tmp_path, "src/broken.py", "def f(:\n")
    [error] = ImportResolver(tmp_path).check(_import("f", "@src/broken"))
    assert error.message == "cannot read `src/broken.py`: syntax error on line 1"


def test_paths_outside_src_are_rejected(tmp_path: Path) -> None:
    resolver = ImportResolver(tmp_path)
    [error] = resolver.check(_import("f", "src/a"))
    assert "must start with `@src/`" in error.message
    [error] = resolver.check(_import("f", "@src/a-b/c"))
    assert "not a python module path" in error.message


def test_each_file_is_read_once(tmp_path: Path) -> None:
    _write(tmp_path, "src/ops.py", "def f(): pass\n")
    resolver = ImportResolver(tmp_path)
    for _ in range(100):
        assert resolver.check(_import("f", "@src/ops")) == []
        resolver.check(_import("missing", "@src/ops"))
        resolver.check(_import("f", "@src/absent"))
    assert resolver.reads == 1


def test_user_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _write(tmp_path, "src/side.py", f"open({str(marker)!r}, 'w').close()\ndef f(): pass\n")
    assert ImportResolver(tmp_path).check(_import("f", "@src/side")) == []
    assert not marker.exists()

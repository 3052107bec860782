"""Who may import whom (docs/architecture.md, Packages): checked on the source, every
import statement (module level or inside a function), and in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "sentinel_spec"
STDLIB = sys.stdlib_module_names
COMPILER = ("sentinel_spec.parser", "sentinel_spec.analyzer", "sentinel_spec.generator")


def imports_of(path: Path) -> list[str]:
    """Every module ``path`` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.append(f"{base}.{node.module}" if node.module else base)
            else:
                assert node.module is not None
                found.append(node.module)
    return found


def sources(*parts: str) -> list[Path]:
    root = PACKAGE.joinpath(*parts)
    return sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("path", sources("contract"), ids=lambda p: p.name)
def test_the_contract_imports_only_the_standard_library(path: Path) -> None:
    for name in imports_of(path):
        top = name.split(".")[0]
        assert top in STDLIB or name.startswith("sentinel_spec.contract"), (path, name)


def test_loading_the_whole_contract_loads_no_third_party_module() -> None:
    names = ", ".join(f"sentinel_spec.contract.{p.stem}" for p in sources("contract"))
    # What site-packages' .pth files load into every interpreter is not the contract's.
    new = loaded_after(f"import {names}") - loaded_after("pass")
    assert {m for m in new if m.split(".")[0] not in STDLIB | {"sentinel_spec"}} == set()
    ours = {m for m in new if m.startswith("sentinel_spec.")}
    assert all(m.startswith("sentinel_spec.contract") for m in ours), ours


@pytest.mark.parametrize("path", sources("runtime"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_runtime_imports_nothing_of_the_compiler(path: Path) -> None:
    for name in imports_of(path):
        if name.startswith("sentinel_spec"):
            assert name.startswith(("sentinel_spec.runtime", "sentinel_spec.contract")), (
                path,
                name,
            )


def test_appspec_imports_nothing_of_parser_analyzer_or_generator() -> None:
    for name in imports_of(PACKAGE / "appspec.py"):
        if name.startswith("sentinel_spec"):
            assert name.startswith(("sentinel_spec.contract", "sentinel_spec.errors")), name
    loaded = loaded_after("import sentinel_spec.appspec")
    assert not {m for m in loaded if m.startswith(COMPILER)}


@pytest.mark.parametrize(
    "path",
    [
        *sources("parser"),
        *sources("kinds"),
        *sources("ast"),
        *sources("analyzer"),
        *sources("generator"),
        *sources("appspec"),
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_compiler_reads_the_runtime_only_for_cron_checks(path: Path) -> None:
    for name in imports_of(path):
        if name.startswith("sentinel_spec.runtime"):
            assert name == "sentinel_spec.runtime.jobs.cron", (path, name)

"""Golden test of the whole generated/ tree, plus determinism and lint of the output.

``UPDATE_GOLDEN=1 pytest tests/generator`` rewrites ``expected/`` after a deliberate change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sentinel_spec

SAMPLE = Path(__file__).parent.parent / "golden" / "generated" / "sample"
EXPECTED = SAMPLE / "expected"

# The repo's lint rules, applied in a project laid out like a user's (src/, generated/).
RUFF_TOML = """\
line-length = 100
target-version = "py311"

[lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]
ignore = ["RUF012"]

[lint.per-file-ignores]
"generated/**" = ["E501"]
"""


def copy_sample(target: Path) -> Path:
    """The sample project (app.sq + src/) copied to ``target``; returns the spec path."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE / "app.sq", target / "app.sq")
    shutil.copytree(SAMPLE / "src", target / "src")
    return target / "app.sq"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_generated_tree_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=out)
    actual = tree(out)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED)
    expected = tree(EXPECTED)
    assert sorted(actual) == sorted(expected), "missing or extra generated files"
    for path, content in expected.items():
        assert actual[path].decode() == content.decode(), f"{path} differs from the golden file"


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=first)
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=second)
    assert tree(first) == tree(second)
    assert tree(first)  # guard: something was generated


def test_every_generated_file_starts_with_the_header(tmp_path: Path) -> None:
    from sentinel_spec.generator.drafts import HEADER

    sentinel_spec.build(SAMPLE / "app.sq", out_dir=tmp_path / "generated")
    for path, content in tree(tmp_path / "generated").items():
        if path.endswith(".py"):
            assert content.decode().startswith(HEADER), path


def test_generated_python_passes_ruff_check_and_format(tmp_path: Path) -> None:
    spec = copy_sample(tmp_path / "project")
    project = spec.parent
    sentinel_spec.build(spec)
    (project / "ruff.toml").write_text(RUFF_TOML)
    for command in (["check", "generated"], ["format", "--check", "--diff", "generated"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"ruff {command[0]}:\n{done.stdout}{done.stderr}"


def test_check_build_reports_stale_files_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    result = sentinel_spec.build(SAMPLE / "app.sq", out_dir=out, check=True)
    assert not out.exists()
    assert set(result.stale) == set(tree(EXPECTED))
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=out)
    assert sentinel_spec.build(SAMPLE / "app.sq", out_dir=out, check=True).stale == ()


@pytest.mark.parametrize("name", ["server.py", "settings.py", "models.py"])
def test_generated_modules_compile(tmp_path: Path, name: str) -> None:
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=tmp_path)
    source = (tmp_path / name).read_text()
    compile(source, name, "exec")

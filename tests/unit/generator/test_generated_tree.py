"""Golden test of the whole generated/ tree, plus determinism and lint of the output.

``UPDATE_GOLDEN=1`` rewrites ``expected/`` after a deliberate change (``tests/golden_files.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sentinel_spec
from tests.golden_files import GOLDEN, check_tree, tree

SAMPLE = GOLDEN / "generated" / "sample"
REPO = Path(__file__).resolve().parents[3]
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


def test_generated_tree_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    sentinel_spec.build(SAMPLE / "app.sq", out_dir=out)
    check_tree(EXPECTED, out)


def build_in_subprocess(spec: Path, out: Path, hash_seed: str) -> None:
    """``sentinel_spec.build`` in a fresh interpreter with its own ``PYTHONHASHSEED``, so
    set and dict orders that depend on string hashes differ between two builds."""
    code = "import sys, sentinel_spec; sentinel_spec.build(sys.argv[1], out_dir=sys.argv[2])"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", code, str(spec), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("spec", [SAMPLE / "app.sq", REPO / "app.sq"], ids=["sample", "sentineliq"])
def test_two_builds_give_the_same_bytes(tmp_path: Path, spec: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    build_in_subprocess(spec, first, "1")
    build_in_subprocess(spec, second, "2")
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

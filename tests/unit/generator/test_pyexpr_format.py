"""The expression printer's output is exactly what ``ruff format`` would print."""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from pathlib import Path

from sentinel_spec.generator import pyexpr as px


def random_leaf(rng: random.Random) -> px.Expr:
    choice = rng.randrange(6)
    if choice == 0:
        return px.lit("x" * rng.choice([1, 5, 20, 40, 95]))
    if choice == 1:
        return px.lit(rng.choice([0, 7, 123456789, -3]))
    if choice == 2:
        return px.lit(rng.choice([True, False, None, 0.25]))
    if choice == 3:
        return px.Code("models." + "Entity" * rng.randrange(1, 6))
    if choice == 4:
        return px.lit(rng.choice(['say "hi"', "it's", "tab\there", "back\\slash", "é"]))
    return px.Call("d.Env", (px.lit("NAME" * rng.randrange(1, 12)),))


def random_expr(rng: random.Random, depth: int) -> px.Expr:
    if depth == 0 or rng.random() < 0.3:
        return random_leaf(rng)
    size = rng.choice([0, 1, 1, 2, 3, 5])
    kind = rng.randrange(5)
    if kind == 0:
        # Calls the generator does not explode hold leaves only.
        return px.Call("d.RateLimit", tuple(random_leaf(rng) for _ in range(size)))
    if kind == 1:
        kwargs = tuple((f"key_{i}", random_expr(rng, depth - 1)) for i in range(size))
        return px.Call("d.Decl", kwargs=kwargs, explode=True)
    if kind == 2:
        return px.Tuple(tuple(random_expr(rng, depth - 1) for _ in range(size)))
    if kind == 3:
        return px.List(tuple(random_expr(rng, depth - 1) for _ in range(size)))
    return px.Dict(tuple((px.lit(f"k{i}"), random_expr(rng, depth - 1)) for i in range(size)))


def test_random_expressions_are_ruff_formatted(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    lines = [f"V{i} = {px.render(random_expr(rng, 4), prefix=len(f'V{i} = '))}" for i in range(300)]
    source = "\n".join(lines) + "\n"
    ast.parse(source)  # valid Python first
    target = tmp_path / "sample.py"
    target.write_text(source)
    ruff = [sys.executable, "-m", "ruff", "format", "--isolated", "--line-length=100"]
    done = subprocess.run(
        [*ruff, "--diff", "--no-cache", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[:4000]


def test_pyrepr_gives_python_literals_with_preferred_quotes() -> None:
    values = ["plain", 'say "hi"', "it's", "a\nb", "\x00", "é", 1, -2.5, True, None]
    for value in values:
        assert ast.literal_eval(px.pyrepr(value)) == value
    assert px.pyrepr("plain") == '"plain"'
    assert px.pyrepr('say "hi"') == "'say \"hi\"'"
    assert px.pyrepr({"a": [1, None]}) == '{\n    "a": [\n        1,\n        None,\n    ],\n}'


def test_one_item_tuple_keeps_its_comma() -> None:
    assert px.render(px.Tuple((px.lit("a"),))) == '("a",)'
    assert ast.literal_eval(px.render(px.Tuple((px.lit("a" * 120),)))) == ("a" * 120,)


def test_short_leaf_call_stays_on_one_line_and_long_one_is_split() -> None:
    short = px.Call("d.RateLimit", kwargs=(("limit", px.lit(5)),))
    assert px.render(short) == "d.RateLimit(limit=5)"
    long = px.Call("d.Env", (px.lit("N" * 60), px.lit("v" * 60)))
    assert px.render(long) == 'd.Env(\n    "' + "N" * 60 + '",\n    "' + "v" * 60 + '",\n)'

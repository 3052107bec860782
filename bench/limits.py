"""The compiler on hostile and at-the-limit specs: wall time and peak RSS of `sentinel check`.

Each case is a whole `sentinel check` process (so its peak memory is its own), beside a
bare interpreter measured in the same run; the ratio is the figure to compare between
machines. The cases are issue 7's: 16,000 broken declarations, a 5 MB string literal, a
valid 5 MB spec (both now refused from their size alone), and what is just under the
limits of docs/language.md (a 2 MiB valid spec, 10,000 declarations, a string of 65,536
characters, 16,000 syntax errors).

Measured on the 2-core machine shared by the team (load average 7-8, so walls are two to
four times a free core's; peak RSS is not affected), main before issue 7 -> after:

    case                  before: wall s, peak MB    after: wall s, peak MB
    broken 16k (issue)          27.5      84               4.9      67
    5 MB string (issue)          6.2    1906               0.7      27   (refused: size)
    valid 5 MB (issue)          52.6     481               0.8      42   (refused: size)
    syntax errors 16k           61.6      42               6.4      42
    syntax errors 2 MiB            -       -              14.4      87   (83 s before the
                                                                          replay budget)
    string 65,536 chars          1.3      51               0.3      42
    valid 10k decls             16.0     153              10.2     129
    valid 2 MiB                 16.2     228              18.7     190

On a free core: broken 16k 12.2 s -> 2.1 s, 5 MB string 4.8 s / 1.95 GB -> 0.4 s / 52 MB
(before the size limit), valid 5 MB 15.6 s / 480 MB -> refused in 0.5 s. What remains
under the limits is lark's LALR parser at about 10 us a token (a 2 MiB spec is 340,000
tokens, about 3.5 s of CPU, the same before and after); SentinelIQ's app.sq is 15 KB.

    python bench/limits.py [--runs 3] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from compile import synthetic_spec  # noqa: E402

CHECK = "import sys; from sentinel_spec.cli import main; sys.argv[0] = 'sentinel'; main()"


def broken(n: int) -> tuple[str, str]:
    return 'app A { title: "x" }\n' + "".join(f"query q{i} {{ fn: 1 }}\n" for i in range(n)), ""


def syntax_errors(n: int) -> tuple[str, str]:
    return 'app A { title: "x" }\n' + "".join(f"query q{i} {{ fn: }}\n" for i in range(n)), ""


def string_literal(size: int) -> tuple[str, str]:
    return 'app A { title: "' + "x" * size + '" }\n', ""


def wide_entities(size: int) -> tuple[str, str]:
    """Entities of 20 fields each, up to ``size`` characters: a valid spec of that size."""
    parts, total, i = ['app A { title: "x" }'], 0, 0
    while total < size - 2000:
        fields = "\n".join(f'  field{j}Name String @default("v{j}")' for j in range(20))
        part = f"entity E{i} {{\n  id Int @id @default(autoincrement())\n{fields}\n}}"
        parts.append(part)
        total += len(part) + 1
        i += 1
    return "\n".join(parts) + "\n", ""


CASES: dict[str, Callable[[], tuple[str, str]]] = {
    "broken 16k (issue)": lambda: broken(16_000),
    "5 MB string (issue)": lambda: string_literal(5_000_000),
    "valid 5 MB (issue)": lambda: synthetic_spec(34_000),
    "syntax errors 16k": lambda: syntax_errors(16_000),
    "syntax errors 2 MiB": lambda: syntax_errors(100_000),
    "string 65,536 chars": lambda: string_literal(65_536),
    "valid 10k decls": lambda: synthetic_spec(10_000),
    "valid 2 MiB": lambda: wide_entities(2 * 1024 * 1024),
}


def measure(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak RSS (MB) of ``runs`` runs of ``cmd``."""
    walls, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        walls.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(walls), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    chosen = [n for n in CASES if not args.only or any(o in n for o in args.only.split(","))]
    with tempfile.TemporaryDirectory() as tmp:
        base_wall, base_mb = measure([sys.executable, "-c", "pass"], Path(tmp), args.runs)
        print(f"bare interpreter: {base_wall:.3f} s, {base_mb:.0f} MB")
        print(f"{'case':<22} {'size':>10} {'wall s':>8} {'x bare':>7} {'peak MB':>8}")
        for name in chosen:
            source, ops = CASES[name]()
            project = Path(tmp) / name.replace(" ", "_").replace(",", "")
            (project / "src").mkdir(parents=True)
            (project / "src" / "__init__.py").write_text("")
            (project / "src" / "ops.py").write_text(ops)
            (project / "app.sq").write_text(source)
            cmd = [sys.executable, "-c", CHECK, "check", "--project", str(project)]
            wall, mb = measure(cmd, ROOT, args.runs)
            print(f"{name:<22} {len(source):>10,} {wall:>8.2f} {wall / base_wall:>7.0f} {mb:>8.0f}")


if __name__ == "__main__":
    main()

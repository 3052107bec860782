"""Compiler speed and memory: synthetic specs of 100, 1,000 and 10,000 declarations.

Each size runs in a fresh subprocess so peak memory is that size's alone. Prints the
time of parse, analysis and generation separately, the peak RSS, the 10k/1k ratio
(linear growth means about 10), and `sentinel build` of the repo's app.sq as a whole
process against a bare `python -c pass` measured in the same run.

    python bench/compile.py [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthetic_spec(n: int) -> tuple[str, str]:
    """A spec of about n declarations (a quarter each entities, operations, apis, jobs)
    and the src module defining every function it imports."""
    per = max(1, n // 4)
    decls = ['app Bench { title: "Bench" }']
    fns: list[str] = []
    for i in range(per):
        parent = f"Owner{i - 1}" if i else None
        rel = (
            f"  owner {parent} @relation(fields: [ownerId], references: [id], onDelete: Cascade)\n"
            f"  ownerId Int\n"
            if parent
            else ""
        )
        back = f"  children Owner{i + 1}[]\n" if i + 1 < per else ""
        decls.append(
            f"entity Owner{i} {{\n  id Int @id @default(autoincrement())\n"
            f"  name String @unique\n  tags String[]\n  createdAt DateTime @default(now())\n"
            f"{rel}{back}}}"
        )
        decls.append(
            f'query getThing{i} {{ fn: import {{ fn{i} }} from "@src/ops", entities: [Owner{i}] }}'
        )
        decls.append(
            f'api thing{i} {{ fn: import {{ fn{i} }} from "@src/ops", '
            f'httpRoute: (GET, "/api/thing/{i}/:id"), auth: false }}'
        )
        decls.append(
            f"job work{i} {{ executor: PgBoss, perform: {{ fn: import {{ fn{i} }} from "
            f'"@src/ops" }}, schedule: {{ cron: "{i % 60} * * * *" }}, entities: [Owner{i}] }}'
        )
        fns.append(f"def fn{i}(args, context):\n    return {i}\n")
    return "\n\n".join(decls) + "\n", "\n\n".join(fns)


def measure_one(n: int) -> dict[str, float]:
    """Runs inside the child process: time each stage of one compile."""
    from sentinel_spec.analyzer import analyze
    from sentinel_spec.gc_pause import gc_paused
    from sentinel_spec.generator import generate
    from sentinel_spec.parser import parse

    spec, ops = synthetic_spec(n)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "src").mkdir()
        (project / "src" / "__init__.py").write_text("")
        (project / "src" / "ops.py").write_text(ops)
        with gc_paused():  # as sentinel build does
            t0 = time.perf_counter()
            module, errors = parse(spec)
            t1 = time.perf_counter()
            app, more = analyze(module, project)
            t2 = time.perf_counter()
            if errors or more or app is None:
                raise SystemExit(f"synthetic spec has errors: {(errors + more)[:3]}")
            drafts = generate(app)
            t3 = time.perf_counter()
    return {
        "declarations": spec.count("\n\n") + 1,
        "parse_s": t1 - t0,
        "analyze_s": t2 - t1,
        "generate_s": t3 - t2,
        "total_s": t3 - t0,
        "files": len(drafts),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(n)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def time_process(cmd: list[str], cwd: Path, runs: int = 7) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB, the largest run) of a whole command.

    Bytecode is written and used as in a normal install, even where the environment
    says PYTHONDONTWRITEBYTECODE.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, peaks = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in every child).
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - t0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"{cmd} exited {proc.returncode}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(walls), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_one(args.child)))
        return

    rows = {}
    columns = ("decls", "parse s", "analyze s", "generate s", "total s", "peak MB")
    print(" ".join(f"{c:>{max(7, len(c))}}" for c in columns))
    for n in [int(s) for s in args.sizes.split(",")]:
        r = run_child(n)
        rows[n] = r
        print(
            f"{int(r['declarations']):>7} {r['parse_s']:>8.3f} {r['analyze_s']:>9.3f} "
            f"{r['generate_s']:>10.3f} {r['total_s']:>8.3f} {r['peak_mb']:>8.1f}"
        )
    if 1000 in rows and 10000 in rows:
        ratio = rows[10000]["total_s"] / rows[1000]["total_s"]
        print(f"ratio 10k/1k total time: {ratio:.1f} (linear = 10)")

    # The console script beside this interpreter, as a virtualenv user runs it (a version
    # manager's shim on PATH would add its own start-up to every run).
    script = Path(sys.executable).parent / "sentinel"
    sentinel = str(script) if script.exists() else shutil.which("sentinel")
    if sentinel and (ROOT / "app.sq").exists():
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "app"
            shutil.copytree(
                ROOT, project, ignore=shutil.ignore_patterns(".git", ".sentinel", "tests")
            )
            base_wall, base_mb = time_process([sys.executable, "-c", "pass"], project)
            time_process([sentinel, "build"], project, runs=1)  # writes bytecode, as installs do
            wall, mb = time_process([sentinel, "build"], project)
        print(
            f"sentinel build app.sq: {wall:.3f} s wall, {mb:.0f} MB peak; "
            f"bare interpreter {base_wall:.3f} s, {base_mb:.0f} MB; ratio {wall / base_wall:.1f}x"
        )


if __name__ == "__main__":
    main()

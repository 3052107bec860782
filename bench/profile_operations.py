"""Where the time of one ``bench/operations.py`` case goes: py-spy samples the server
(``sentinel start``, pinned to CPU 0) while wrk loads it from CPU 1, and the top lines
by own time and by total time are printed.

    python bench/profile_operations.py [--case query] [--duration 15] [--top 25]
                                       [--driver asyncpg]

Needs ``py-spy`` (``pip install py-spy``; root, or ptrace allowed) and what
``bench/operations.py`` needs.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import operations as bench


def top_lines(raw: Path, top: int) -> str:
    """py-spy's raw (collapsed stacks) output summed per frame: own and total samples."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        samples += count
        frames = stack.split(";")
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    out = [f"{samples} samples\n\nown time (the frame itself):"]
    out += [f"  {100 * n / samples:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    out.append("\ntotal time (the frame and what it calls):")
    out += [f"  {100 * n / samples:5.1f}%  {frame}" for frame, n in total.most_common(top)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", default="query", choices=list(bench.CASES))
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--limits-storage", default="memory://")
    parser.add_argument("--save", type=Path, help="keep py-spy's raw stacks in this file")
    parser.add_argument("--driver", choices=["asyncpg", "psycopg"], default="asyncpg")
    args = parser.parse_args()
    bench.DRIVER[0] = args.driver
    if not shutil.which("py-spy") or not shutil.which("wrk"):
        raise SystemExit("needs py-spy (pip install py-spy) and wrk (apt-get install -y wrk)")
    case = bench.CASES[args.case]
    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    extra_env = {"BENCH_LIMITS_STORAGE": args.limits_storage}
    with tempfile.TemporaryDirectory(prefix="sentinel-profile-") as tmp:
        project = Path(tmp) / "bench"
        db_url = bench.prepare(project, server_url)
        log = Path(tmp) / "server.log"
        bearer = bench.signed_in(project, db_url, log, extra_env) if case.authenticated else None
        script = Path(tmp) / "post.lua"
        script.write_text(bench.wrk_script(bearer))
        port = bench.free_port()
        proc = bench.start_sentinel(project, port, db_url, log, extra_env)
        raw = Path(tmp) / "profile.txt"
        try:
            bench.wait_http(port)
            bench.load(port, case.path, 2, args.connections, script)  # warm-up
            spy_cmd = ["py-spy", "record", "--pid", str(proc.pid), "--format", "raw"]
            spy_cmd += ["--rate", "250", "--duration", str(args.duration)]
            spy_cmd += ["--output", str(raw), "--nonblocking"]
            spy = subprocess.Popen(
                spy_cmd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            rps, p99, _ = bench.load(port, case.path, args.duration, args.connections, script)
            spy.wait()
        finally:
            bench.stop(proc)
            bench.drop_database(server_url)
        print(f"driver {args.driver}; {args.case}: {rps:.0f} req/s, p99 {p99:.1f} ms", end="")
        print(" while sampled (py-spy slows it)")
        print(top_lines(raw, args.top))
        if args.save is not None:
            shutil.copy(raw, args.save)


if __name__ == "__main__":
    main()

"""Save-to-serving latency of ``sentinel dev``, measured over real HTTP.

Copies a project (the repo's SentinelIQ app when ``app.sq`` is at the repo
root, else the ``sentinel new`` starter) to a temporary folder, adds two
benchmark apis, runs ``sentinel dev`` on it and then, N times each:

- edits ``app.sq`` to point ``GET /bench/spec`` at another function, and
- edits a ``src/`` function behind ``GET /bench/src`` to return a new marker,

timing from the file write to the first HTTP response carrying the new marker,
once with saves 1.5 s apart (a person's pace) and once 0.3 s apart (rapid saves
that catch the reloader still warming its next standby worker).
Also times the cold start with an existing ``.sentinel/`` (second start).

    python bench/devloop.py [--project PATH] [-n 10] [--strict]

Each figure is also printed as a ratio to a baseline measured in the same run (a fresh
interpreter importing starlette, sqlalchemy.orm and pydantic), which cancels most of the
machine's load. Uses ``DATABASE_URL`` when set, else the embedded PostgreSQL. With ``--strict``
it exits 1 when a median is over target (1 s per save, 3 s cold start).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
SAVE_TARGET = 1.0
COLD_TARGET = 3.0
MARKERS = 64  # functions prepared in src/bench_marker.py for spec edits
HUMAN_PAUSE = 1.5  # seconds between saves: edit, save, look at the browser
RAPID_PAUSE = 0.3  # saves in quick succession (an editor's format-on-save, a git checkout)

BENCH_APIS = """
api benchSpec {
  fn: import { marker_0 } from "@src/bench_marker",
  httpRoute: (GET, "/bench/spec"),
  auth: false,
}
api benchSrc {
  fn: import { src_marker } from "@src/bench_marker",
  httpRoute: (GET, "/bench/src"),
  auth: false,
}
"""


def marker_module() -> str:
    lines = ['"""Benchmark endpoints for bench/devloop.py."""', "", "from typing import Any", ""]
    for i in range(MARKERS):
        lines += [
            "",
            f"def marker_{i}(request: Any, context: Any) -> str:",
            f'    return "spec-{i}"',
            "",
        ]
    lines += ["", "def src_marker(request: Any, context: Any) -> str:", '    return "src-0"', ""]
    return "\n".join(lines)


def prepare(source: Path, workdir: Path) -> Path:
    project = workdir / "project"
    ignore = shutil.ignore_patterns(
        ".sentinel", "__pycache__", ".git", "tests", "bench", "*.egg-info"
    )
    shutil.copytree(source, project, ignore=ignore)
    (project / "app.sq").write_text((project / "app.sq").read_text() + BENCH_APIS)
    (project / "src" / "bench_marker.py").write_text(marker_module())
    return project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dev_server(project: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    log = open(project / ".devloop.log", "ab")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from sentinel_spec.cli import main; main()",
            "dev",
            "--port",
            str(port),
        ],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def wait_for(client: httpx.Client, url: str, expected: str | None, timeout: float) -> float:
    """Poll until ``url`` answers 200 (with ``expected`` in the body); return the time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = client.get(url)
            if response.status_code == 200 and (expected is None or expected in response.text):
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url} did not serve {expected!r} within {timeout}s")


# The baseline: a fresh interpreter importing what a dev worker imports before standby,
# timed in the same run, so a loaded machine slows both sides of the ratio alike.
BASELINE_CODE = "import starlette.applications, sqlalchemy.orm, pydantic"


def baseline_seconds(rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", BASELINE_CODE], check=True)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def summary(label: str, values: list[float], target: float, baseline: float) -> bool:
    median = statistics.median(values)
    print(
        f"{label:<36} min {min(values):.3f}s  median {median:.3f}s  max {max(values):.3f}s"
        f"  ratio {median / baseline:.2f}x  (target {target:.1f}s, n={len(values)})"
    )
    return median <= target


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--project", type=Path, help="project folder (default: SentinelIQ or starter)"
    )
    parser.add_argument("-n", type=int, default=10, help="edits of each kind")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a median misses its target"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sentinel-devloop-") as tmp:
        workdir = Path(tmp)
        if args.project is not None:
            source = args.project
        elif (REPO / "app.sq").is_file() and (REPO / "src").is_dir():
            source = REPO
        else:
            from sentinel_spec.commands.scaffold import create_project

            create_project(workdir / "starter")
            source = workdir / "starter"
        project = prepare(source, workdir)
        try:
            return run(args, source, project)
        except TimeoutError:
            log = (project / ".devloop.log").read_text(errors="replace").splitlines()
            print("\n".join(line for line in log if "INFO:" not in line)[-4000:])
            raise


def edit_and_time(
    client: httpx.Client, base: str, project: Path, edits: range, pause: float
) -> tuple[list[float], list[float]]:
    """Alternate spec and src/ edits ``pause`` seconds apart; return the two latency lists."""
    spec = project / "app.sq"
    src = project / "src" / "bench_marker.py"
    spec_times: list[float] = []
    src_times: list[float] = []
    for i in edits:
        text = spec.read_text().replace(
            f"marker_{(i - 1) % MARKERS} }}", f"marker_{i % MARKERS} }}"
        )
        written = time.monotonic()
        spec.write_text(text)
        spec_times.append(
            wait_for(client, base + "/bench/spec", f"spec-{i % MARKERS}", 30) - written
        )
        time.sleep(pause)
        text = src.read_text().replace(f'"src-{i - 1}"', f'"src-{i}"')
        written = time.monotonic()
        src.write_text(text)
        src_times.append(wait_for(client, base + "/bench/src", f"src-{i}", 30) - written)
        time.sleep(pause)
    return spec_times, src_times


def run(args: argparse.Namespace, source: Path, project: Path) -> int:
    print(f"project: {source} (copied to {project})")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    before = baseline_seconds()
    with httpx.Client(timeout=5) as client:
        started = time.monotonic()
        with dev_server(project, port):
            first = wait_for(client, base + "/bench/src", "src-0", 120) - started
        started = time.monotonic()
        with dev_server(project, port):
            cold = wait_for(client, base + "/bench/src", "src-0", 60) - started
            # After each swap the reloader warms a new standby worker (about a second of
            # CPU). Saves at a person's pace find it ready; rapid saves wait for part of it.
            paced = edit_and_time(client, base, project, range(1, args.n + 1), HUMAN_PAUSE)
            rapid = edit_and_time(
                client, base, project, range(args.n + 1, 2 * args.n + 1), RAPID_PAUSE
            )
    baseline = (before + baseline_seconds()) / 2
    print(f"baseline (python -c {BASELINE_CODE!r}, median) {baseline:.3f}s")
    print(f"first start (new .sentinel/)   {first:.3f}s  ratio {first / baseline:.2f}x")
    ok = summary("cold start (.sentinel/ kept)", [cold], COLD_TARGET, baseline)
    for pause, (spec_times, src_times) in ((HUMAN_PAUSE, paced), (RAPID_PAUSE, rapid)):
        label = f"app.sq save -> served, {pause}s"
        ok = summary(label, spec_times, SAVE_TARGET, baseline) and ok
        ok = summary(f"src/ save -> served, {pause}s", src_times, SAVE_TARGET, baseline) and ok
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())

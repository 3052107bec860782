"""Where SentinelIQ's server-rendered pages spend their CPU: the set-up of
``bench/sentineliq.py`` (50 members, 100,000 audit rows, a real signed-in session), the
server's CPU per request of each page (``cpu_per_request``), then, with ``--profile DIR``,
the dashboard and the audit page each requested one at a time against a second server
under cProfile (one worker, in process, so the profiler never touches the CPU figures;
switched on by SIGUSR1 after start-up and 20 warm-up requests): each page's top
functions, cumulative and own time, into DIR. No wrk.

    python bench/sentineliq_profile.py [--requests 300] [--profile DIR]

cProfile counts each resumption of a coroutine as a call, and SQLAlchemy's greenlet
switches can put its time on an unrelated frame (starlette's ``wrapped_app``): read the
own times by package rather than the cumulative ones.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sentineliq as bench


def serve_profiled(db_url: str, port: int, mailbox: bench.Mailbox, log: Path, out: Path) -> Any:
    """``bench.serve``'s server (one worker, in process) under cProfile, stats to ``out``
    when it is terminated."""
    argv = ["sentinel", "start", "--project", str(bench.ROOT), "--port", str(port)]
    # The profiler starts at SIGUSR1 (after start-up and a warm-up), stops at exit.
    code = (
        "import cProfile, signal, sys; from sentinel_spec.cli import main; "
        f"sys.argv = {[*argv, '--workers', '1']!r}; p = cProfile.Profile(); "
        "signal.signal(signal.SIGUSR1, lambda *_: p.enable())\n"
        f"try:\n main()\nfinally:\n p.disable(); p.dump_stats({str(out)!r})"
    )
    full_env = {
        **os.environ,
        **bench.APP_ENV,
        "DATABASE_URL": db_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "APP_URL": f"http://127.0.0.1:{port}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "PYTHONPATH": str(bench.ROOT),
    }
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-c", code], env=full_env, stdout=sink, stderr=subprocess.STDOUT
        )


def profile(
    db_url: str, mailbox: bench.Mailbox, cookie: str, path: str, count: int, out: Path
) -> str:
    """``count`` requests of ``path`` against a profiled server: its top functions."""
    import httpx

    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    log = out.with_suffix(".log")
    proc = serve_profiled(db_url, port, mailbox, log, out)
    try:
        bench.wait_up(base, proc, log)
        with httpx.Client(base_url=base, cookies={"sentinel_session": cookie}, timeout=10) as c:
            for i in range(count + 20):
                if i == 20:  # warmed up
                    proc.send_signal(signal.SIGUSR1)
                    time.sleep(0.2)
                answer = c.get(path, headers={"X-Forwarded-For": f"10.8.{i // 250}.{i % 250 + 1}"})
                assert answer.status_code == 200, answer.status_code
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=Path, default=None, help="cProfile each page into DIR")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    db_url = bench.database(server_url)
    mailbox = bench.Mailbox()
    mailbox.controller.start()
    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        proc = bench.serve(db_url, port, mailbox, log)
        try:
            bench.wait_up(base, proc, log)
            session = bench.sign_in(base, mailbox, "owner@bench.example")
            workspace_id, middle = bench.populate(db_url, base, session)
            targets = bench.page_targets(workspace_id, middle)
            bench.check_pages(base, session, targets)
            print("load average", ", ".join(f"{x:.1f}" for x in os.getloadavg()))
            bench.cpu_per_request(base, session, targets, proc.pid, args.requests)
            if args.profile is not None:
                proc.terminate()
                proc.wait(timeout=20)
                args.profile.mkdir(parents=True, exist_ok=True)
                for name, (path, _signed_in) in list(targets.items())[1:3]:
                    out = args.profile / f"{name.split(',')[0]}.pstats"
                    report = profile(db_url, mailbox, session, path, args.requests, out)
                    out.with_suffix(".txt").write_text(report)
                    print(f"\n== {name}: {out.with_suffix('.txt')}")
        finally:
            bench.stop(proc, mailbox, server_url)


if __name__ == "__main__":
    main()

"""cProfile of ``bench/http_in_process.py``'s Sentinel side (or the bare side with
``--bare``): the top lines by own and by total time.

    python bench/profile_http_in_process.py [--requests 20000] [--top 30] [--bare]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_in_process as bench
import middleware as stack_bench
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from sentinel_spec.runtime.serving.protocol import GuardedHttpToolsProtocol


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    import uvloop

    make: Any = stack_bench.bare_app if args.bare else stack_bench.sentinel_app
    protocol = HttpToolsProtocol if args.bare else GuardedHttpToolsProtocol
    profile = cProfile.Profile()
    with (
        tempfile.TemporaryDirectory(prefix="sentinel-http-") as tmp,
        stack_bench.ProductionLogs(Path(tmp) / "log"),
    ):
        app = make()

        async def run() -> float:
            profile.enable()
            try:
                return await bench.with_lifespan(app, protocol, args.requests)
            finally:
                profile.disable()

        per_request = uvloop.run(run())
    print(f"{per_request * 1e6:.1f} µs/request under the profiler")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

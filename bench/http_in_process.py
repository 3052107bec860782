"""The server's CPU per request without sockets or load generator: raw HTTP/1.1 requests
fed to the protocol ``sentinel start`` uses (the guarded httptools protocol), responses
taken by a stand-in transport, against bare Starlette under uvicorn's own httptools
protocol. What it counts: parsing, the ASGI app, the response head and the access log
(written to a file, as in production); not the kernel's share (the write system calls
are the same on both sides). On a shared machine, far steadier than ``bench/operations.py``:
only this thread's CPU time is counted, and nothing waits on another process.

    python bench/http_in_process.py [--requests 4000] [--rounds 3]

The apps are ``bench/middleware.py``'s: a constant action through the whole default stack
(security headers, CORS, the server-wide rate limit, body limits, request id, access log).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO))

import middleware as stack_bench  # noqa: E402
from uvicorn.config import Config  # noqa: E402
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # noqa: E402
from uvicorn.server import ServerState  # noqa: E402

from sentinel_spec.runtime.serving.protocol import GuardedHttpToolsProtocol  # noqa: E402

REQUEST = (
    b"POST /operations/ping HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
    b"Content-Type: application/json\r\nContent-Length: 4\r\n\r\nnull"
)


class Transport:
    """What the protocol needs of an asyncio transport; writes are counted, not sent."""

    def __init__(self) -> None:
        self.writes = 0
        self.closing = False

    def write(self, data: bytes) -> None:
        self.writes += 1

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 5555), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def pause_reading(self) -> None: ...
    def resume_reading(self) -> None: ...
    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None: ...


async def drive(app: Any, protocol_class: type[HttpToolsProtocol], count: int) -> float:
    """Thread CPU seconds per request for ``count`` requests on one kept-alive connection."""
    # Each side as it is served: plain uvicorn's defaults for bare Starlette, and for
    # Sentinel what `sentinel start` passes (no uvicorn trusted-proxy layer in front of the
    # app: the app honours app.server.trustedProxies itself; no `server` header).
    own = protocol_class is not HttpToolsProtocol
    config = Config(
        app=app,
        http=protocol_class,
        access_log=False,
        lifespan="off",
        **({"proxy_headers": False, "server_header": False} if own else {}),
    )
    config.load()
    # As `sentinel start` leaves it (access_log=False): uvicorn's own access log off.
    access = logging.getLogger("uvicorn.access")
    access.handlers, access.propagate = [], False
    loop = asyncio.get_running_loop()
    protocol = protocol_class(config=config, server_state=ServerState(), app_state={}, _loop=loop)
    transport = Transport()
    protocol.connection_made(transport)  # type: ignore[arg-type]

    async def one() -> None:
        protocol.data_received(REQUEST)
        cycle = protocol.cycle
        assert cycle is not None
        while not cycle.response_complete:
            await asyncio.sleep(0)
        await asyncio.sleep(0)  # what the protocol scheduled after the response

    for _ in range(300):  # warm up
        await one()
    started = time.thread_time()
    for _ in range(count):
        await one()
    elapsed = time.thread_time() - started
    protocol.connection_lost(None)
    return elapsed / count


async def with_lifespan(app: Any, protocol_class: type[HttpToolsProtocol], count: int) -> float:
    async with app.router.lifespan_context(app):
        return await drive(app, protocol_class, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    try:
        import uvloop

        run: Any = uvloop.run
    except ImportError:  # pragma: no cover
        run = asyncio.run
    variants: dict[str, tuple[Any, type[HttpToolsProtocol]]] = {
        "bare Starlette, uvicorn's protocol": (stack_bench.bare_app, HttpToolsProtocol),
        "Sentinel, guarded protocol": (stack_bench.sentinel_app, GuardedHttpToolsProtocol),
    }
    results: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="sentinel-http-") as tmp:
        log = Path(tmp) / "log"
        for _ in range(args.rounds):  # alternated: a drift in speed favours neither
            for name, (make, protocol_class) in variants.items():
                with stack_bench.ProductionLogs(log):
                    results[name].append(run(with_lifespan(make(), protocol_class, args.requests)))
    # The least of the rounds: other processes add to a round's CPU time, never take.
    least = {name: min(times) * 1e6 for name, times in results.items()}
    for name, value in least.items():
        print(f"{name:<36} {value:7.1f} µs/request (least of {args.rounds})")
    bare, ours = least.values()
    print(f"ratio (bare / Sentinel): {bare / ours:.2f}")


if __name__ == "__main__":
    main()

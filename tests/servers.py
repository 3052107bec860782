"""Helpers for tests that run the real ``sentinel`` executable and talk to it over HTTP.

Every server is started in its own session and killed (whole process group, then
any worker group it left) in a ``finally``; every wait has a deadline.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

SENTINEL = [sys.executable, "-c", "from sentinel_spec.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sentinel(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SENTINEL, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Server:
    def __init__(self, proc: subprocess.Popen[str], port: int, log: Path) -> None:
        self.proc = proc
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.base + path, timeout=5, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, json: object = None) -> httpx.Response:
        return httpx.post(self.base + path, json=json, timeout=5)

    def wait_for(self, path: str, predicate: object = None, timeout: float = 30) -> httpx.Response:
        """Poll ``path`` until it answers (and ``predicate(response)`` holds)."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited ({self.proc.returncode}):\n{self.output()}")
            try:
                response = self.get(path)
                if predicate is None or predicate(response):  # type: ignore[operator]
                    return response
                last = response.text[:300]
            except httpx.HTTPError as error:
                last = error
            time.sleep(0.1)
        raise AssertionError(f"{path} not ready in {timeout}s (last: {last}):\n{self.output()}")


@contextmanager
def running(
    *args: str, cwd: Path, port: int, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    log = cwd / f".server-{port}.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [*SENTINEL, *args],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        yield Server(proc, port, log)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM (graceful: the dev server stops its workers and database), then SIGKILL."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    with suppress(ProcessLookupError):  # anything left in the group
        os.killpg(proc.pid, signal.SIGKILL)

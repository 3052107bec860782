"""Helpers for tests that run the real ``sentinel`` executable and talk to it over HTTP.

Every server is started in its own session and stopped in a ``finally``: SIGTERM
to its process group, then SIGKILL. ``sentinel dev`` leaves two kinds of process
outside that group: its workers (own process group; they exit when their stdin,
a pipe from the parent, closes) and the embedded PostgreSQL (own session, pid in
``.sentinel/postgres/postmaster.pid``). ``running`` finds both afterwards, records
them in ``Server.left_behind`` (a graceful stop should leave nothing) and kills
them. Every wait has a deadline.
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
        self.left_behind: list[str] = []  # processes still alive after the stop, then killed

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.base + path, timeout=5, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, json: object = None) -> httpx.Response:
        return httpx.post(self.base + path, json=json, timeout=5)

    def wait_output(self, text: str, timeout: float = 30, times: int = 1) -> str:
        """Wait until the server's output contains ``text`` (``times`` times); return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = self.output()
            if output.count(text) >= times:
                return output
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the output after {timeout}s:\n{self.output()}")

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
    server = Server(proc, port, log)
    try:
        yield server
    finally:
        stop(proc)
        server.left_behind = reap_leftovers(cwd)


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


def dev_worker_pids(project: Path) -> list[int]:
    """Live ``sentinel dev`` worker processes serving ``project`` (found in /proc)."""
    wanted = str(project.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode(errors="replace") for a in argv]
        if "sentinel_spec.devserver.worker" in args and _option(args, "--project") == wanted:
            found.append(int(entry.name))
    return found


def embedded_postgres_pid(project: Path) -> int | None:
    """The pid of the project's embedded PostgreSQL when it is alive."""
    try:
        first = (project / ".sentinel" / "postgres" / "postmaster.pid").read_text().split("\n")[0]
        pid = int(first.strip())
        alive = Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except (OSError, ValueError):
        return None
    return pid if alive else None


def reap_leftovers(project: Path, grace: float = 10.0) -> list[str]:
    """Wait (bounded) for dev workers to exit on their own, then kill what is left.

    Returns a description of each process that had to be killed.
    """
    deadline = time.monotonic() + grace
    while dev_worker_pids(project) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = []
    for pid in dev_worker_pids(project):
        left.append(f"dev worker {pid}")
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pid = embedded_postgres_pid(project)
    if pid is not None:
        left.append(f"embedded postgres {pid}")
        _stop_postgres(project, pid)
    return left


def _stop_postgres(project: Path, pid: int) -> None:
    # SIGINT is PostgreSQL's fast shutdown; SIGKILL only if it does not finish.
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 10
    while embedded_postgres_pid(project) == pid and time.monotonic() < deadline:
        time.sleep(0.1)
    if embedded_postgres_pid(project) == pid:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _option(args: list[str], name: str) -> str | None:
    try:
        return args[args.index(name) + 1]
    except (ValueError, IndexError):
        return None

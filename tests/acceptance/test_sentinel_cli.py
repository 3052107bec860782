"""Acceptance: the real ``sentinel`` executable as a subprocess, over real HTTP.

Every server is started in its own session and killed (whole process group,
then any worker group it left) in a ``finally``; every wait has a deadline.
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
import pytest

pytestmark = pytest.mark.slow

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


def new_project(tmp_path: Path, name: str = "shop") -> Path:
    created = sentinel("new", name, cwd=tmp_path)
    assert created.returncode == 0, created.stdout + created.stderr
    return tmp_path / name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_new_build_check_as_processes(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    assert (project / "generated" / "server.py").is_file()
    built = sentinel("build", cwd=project)
    assert built.returncode == 0, built.stderr
    checked = sentinel("check", cwd=project)
    assert checked.returncode == 0 and "OK" in checked.stdout
    fresh = sentinel("build", "--check", cwd=project)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    edit(project / "app.sq", "entities: [Note],", "entities: [Nte],")
    broken = sentinel("check", cwd=project)
    assert broken.returncode == 1
    assert "app.sq:" in broken.stderr and "did you mean `Note`?" in broken.stderr


def test_start_serves_over_http(tmp_path: Path, database_url: str) -> None:
    project = new_project(tmp_path)
    env = {"DATABASE_URL": database_url}
    upgraded = sentinel("db", "upgrade", cwd=project, env=env, timeout=90)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    # The starter ships its first migration, and it matches the generated models.
    status = sentinel("db", "status", "--check", cwd=project, env=env, timeout=90)
    assert status.returncode == 0, status.stdout + status.stderr
    port = free_port()
    with running("start", "--port", str(port), cwd=project, port=port, env=env) as server:
        health = server.wait_for("/api/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        created = server.post("/operations/create-note", {"text": "first"})
        assert created.status_code == 200, created.text
        notes = server.post("/operations/get-notes")
        assert [n["text"] for n in notes.json()] == ["first"]


def test_dev_reloads_src_and_survives_spec_errors(tmp_path: Path, database_url: str) -> None:
    project = new_project(tmp_path)
    env = {"DATABASE_URL": database_url}
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        assert server.wait_for("/api/health").json()["status"] == "ok"

        edit(project / "src" / "health.py", '"status": "ok"', '"status": "edited"')
        server.wait_for("/api/health", lambda r: r.json().get("status") == "edited", 15)

        edit(project / "app.sq", '"/api/health"', '"/api/health", bogus')
        errors = server.wait_for("/__sentinel/errors", lambda r: r.json()["errors"], 15)
        assert errors.json()["errors"][0]["file"] == "app.sq"
        still = server.get("/api/health")
        assert still.json()["status"] == "edited"  # the last good app keeps serving
        assert int(still.headers["x-sentinel-spec-errors"]) >= 1
        assert "app.sq:" in server.output()

        edit(project / "app.sq", '"/api/health", bogus', '"/api/health"')
        server.wait_for("/__sentinel/errors", lambda r: r.json()["errors"] == [], 15)
        assert "x-sentinel-spec-errors" not in server.get("/api/health").headers

        edit(project / "src" / "health.py", '"status": "edited"', '"status": (1 +')
        time.sleep(1.5)  # a syntax error in src/: the old worker keeps serving
        assert server.get("/api/health").json()["status"] == "edited"


def test_dev_embedded_database_migrates_and_keeps_data(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    env = {"DATABASE_URL": ""}
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_for("/api/health", timeout=60)
        created = server.post("/operations/create-note", {"text": "kept"})
        assert created.status_code == 200, created.text + server.output()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_for("/api/health", timeout=60)
        notes = server.post("/operations/get-notes")
        assert [n["text"] for n in notes.json()] == ["kept"]

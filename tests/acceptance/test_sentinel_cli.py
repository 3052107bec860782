"""Acceptance: the real ``sentinel`` executable as a subprocess, over real HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.servers import free_port, running, sentinel

pytestmark = pytest.mark.slow


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

"""Acceptance: the real ``sentinel`` executable as a subprocess, over real HTTP."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
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


def replace_file(path: Path, old: str, new: str) -> None:
    """Save like vim, IDEs and ``sed -i`` do: write a new file, rename it over the old."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    fresh = path.with_name(f".{path.name}.saving")
    fresh.write_text(text.replace(old, new))
    os.replace(fresh, path)


@pytest.fixture
def outside_tmp_path() -> Iterator[Path]:
    """A folder for projects with an embedded database.

    Not pytest's tmp_path: pytest resets /tmp/pytest-of-<user> to 0700 whenever any
    pytest starts, locking out the ``embedded_postgres`` user the server runs as
    under root (see the root conftest's ``embedded_data_dir``).
    """
    root = Path(tempfile.mkdtemp(prefix="sentinel-test-dev-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


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
        errors = server.wait_for(
            "/__sentinel/errors",
            lambda r: ["health.py" in e["message"] for e in r.json()["errors"]],
        )
        assert "syntax error" in errors.json()["errors"][0]["message"]
        # A syntax error in src/: the old worker keeps serving.
        assert server.get("/api/health").json()["status"] == "edited"


def test_dev_embedded_database_migrates_and_keeps_data(outside_tmp_path: Path) -> None:
    project = new_project(outside_tmp_path)
    env = {"DATABASE_URL": ""}
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as first:
        first.wait_for("/api/health", timeout=60)
        created = first.post("/operations/create-note", {"text": "kept"})
        assert created.status_code == 200, created.text + first.output()
    # Stopping dev stopped its workers and the database it started.
    assert first.left_behind == [], first.output()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as second:
        second.wait_for("/api/health", timeout=60)
        notes = second.post("/operations/get-notes")
        assert [n["text"] for n in notes.json()] == ["kept"]
    assert second.left_behind == [], second.output()


def test_dev_keeps_seeing_app_sq_saved_by_rename(tmp_path: Path, database_url: str) -> None:
    project = new_project(tmp_path)
    env = {"DATABASE_URL": database_url}
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_for("/api/health")
        # Two saves by rename: a watch on the file itself would miss the second.
        for old, new in (("/api/health", "/api/status"), ("/api/status", "/api/ping")):
            reloads = server.output().count("reloaded in")
            replace_file(project / "app.sq", f'"{old}"', f'"{new}"')
            # Once "reloaded" is printed, every new connection reaches the new code.
            server.wait_output("reloaded in", times=reloads + 1)
            assert server.get(new).status_code == 200
            if old == "/api/health":  # no api claims it now: the runtime's report answers
                assert "uptimeSeconds" in server.get(old).json()
            else:
                assert server.get(old).status_code == 404


def test_dev_broken_spec_at_start_answers_503_then_serves_once_fixed(
    outside_tmp_path: Path,
) -> None:
    project = new_project(outside_tmp_path)
    edit(project / "app.sq", "entities: [Note],\n}\n\naction", "entities: [Nte],\n}\n\naction")
    env = {"DATABASE_URL": ""}  # the embedded database, started only once the spec is good
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        # No app is serving: a request is answered at once, not left hanging.
        # (Right at start the stand-in may briefly answer before the problems are
        # published; wait for the answer that lists them.)
        unavailable = server.wait_for(
            "/api/health", lambda r: r.status_code == 503 and r.json()["error"]["details"], 30
        )
        error = unavailable.json()["error"]
        assert error["code"] == "unavailable" and error["requestId"]
        assert error["details"][0]["file"] == "app.sq"
        assert "did you mean `Note`?" in error["details"][0]["message"]
        # Only the spec's error: no stale app was started without its database.
        assert len(error["details"]) == 1, error["details"]
        assert not any("DATABASE_URL" in d["message"] for d in error["details"])
        page = httpx.get(server.base + "/", headers={"accept": "text/html"}, timeout=2)
        assert page.status_code == 503 and "is not an entity" in page.text
        assert "sentinel-dev-errors" in page.text
        # Printed once the stand-in reports ready, so possibly just after its first 503.
        server.wait_output("no app is serving", 10)

        edit(project / "app.sq", "entities: [Nte],", "entities: [Note],")
        server.wait_for("/api/health", lambda r: r.status_code == 200, 60)
        # The database appeared and was migrated: an action using Note works.
        created = server.post("/operations/create-note", {"text": "after the fix"})
        assert created.status_code == 200, created.text + server.output()
        assert (server.get("/__sentinel/errors")).json() == {"errors": []}
    assert server.left_behind == [], server.output()


def test_dev_reports_a_new_field_and_applies_a_new_revision(
    tmp_path: Path, database_url: str
) -> None:
    project = new_project(tmp_path)
    env = {"DATABASE_URL": database_url}
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_for("/api/health")
        # Same entities, one more field: still a model change with no migration.
        edit(project / "app.sq", "  text      String\n", "  text      String\n  title String?\n")
        server.wait_output("the models have changes with no migration yet", 30)
        migrated = sentinel("db", "migrate", "--name", "add_title", cwd=project, env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        # It does not send a dev user to `db upgrade` for what dev applies itself.
        assert "a running `sentinel dev` applies it" in migrated.stdout
        # dev sees the new revision in migrations/ and applies it.
        output = server.wait_output("from migrations/", 30)
        assert "add_title" in output.split("from migrations/", 1)[1].splitlines()[0]
        created = server.post("/operations/create-note", {"text": "titled"})
        assert created.status_code == 200, created.text + server.output()

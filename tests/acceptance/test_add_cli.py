"""Acceptance: ``sentinel add`` on a new project, as a subprocess; the result checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import sentinel

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    created = sentinel("new", "shop", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    return tmp_path / "shop"


def run(project: Path, *args: str) -> str:
    result = sentinel("add", *args, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_every_kind_is_added_stubbed_and_checks(project: Path) -> None:
    spec = project / "app.sq"
    spec.write_text(spec.read_text() + "// a comment at the end stays\n")
    run(
        project,
        "entity",
        "Task",
        "--field",
        "title:String",
        "--field",
        "done Boolean @default(false)",
    )
    run(project, "query", "getTasks", "--entities", "Task")
    run(project, "action", "createTask", "--entities", "Task", "--from", "@src/core/tasks")
    run(project, "api", "taskHook", "--method", "post", "--path", "/api/hook/:id", "--no-auth")
    run(project, "job", "nightly", "--cron", "0 3 * * *", "--entities", "Task")
    out = run(project, "page", "TasksPage", "--route", "/tasks")
    assert "added route TasksRoute" in out and "added page TasksPage" in out
    text = spec.read_text()
    assert "// a comment at the end stays" in text
    assert 'route TasksRoute { path: "/tasks", to: TasksPage }\npage TasksPage {' in text
    assert text.index("entity Task") < text.index("query getNotes")
    assert 'schedule: { cron: "0 3 * * *" }' in text
    assert 'httpRoute: (POST, "/api/hook/:id")' in text
    assert (project / "src" / "core" / "__init__.py").is_file()
    tasks = (project / "src" / "core" / "tasks.py").read_text()
    assert "async def create_task(args: Any, context: Any) -> Any:" in tasks
    assert (
        "async def task_hook(request: Any, context: Any)"
        in (project / "src" / "apis.py").read_text()
    )
    checked = sentinel("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    built = sentinel("build", cwd=project)
    assert built.returncode == 0, built.stderr


def test_a_stub_never_overwrites_an_existing_function(project: Path) -> None:
    notes = project / "src" / "notes.py"
    before = notes.read_text()
    out = run(project, "query", "getNotesAgain", "--fn", "get_notes", "--from", "@src/notes")
    assert "kept get_notes() in src/notes.py" in out
    assert notes.read_text() == before


def test_an_addition_that_does_not_check_changes_nothing(project: Path) -> None:
    spec = project / "app.sq"
    before = spec.read_text()
    # The starter already serves GET /api/health: a second api on it does not check.
    result = sentinel("add", "api", "health2", "--path", "/api/health", cwd=project)
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert spec.read_text() == before
    assert not (project / "src" / "apis.py").exists()
    pages = (project / "src" / "pages.py").read_text()
    # No app.auth in the starter, so an auth-required page does not check either.
    refused = sentinel("add", "page", "Secret", "--route", "/s", "--auth-required", cwd=project)
    assert refused.returncode == 1
    assert "needs `auth` in `app`" in refused.stderr
    assert spec.read_text() == before
    assert (project / "src" / "pages.py").read_text() == pages


def test_bad_requests_are_refused_with_a_reason(project: Path) -> None:
    unknown = sentinel("add", "query", "getX", "--entities", "Nope", cwd=project)
    assert unknown.returncode == 1 and "`Nope` is not declared" in unknown.stderr
    taken = sentinel("add", "entity", "Note", cwd=project)
    assert taken.returncode == 1 and "already declared" in taken.stderr
    no_path = sentinel("add", "api", "hook", cwd=project)
    assert no_path.returncode == 1 and "--path" in no_path.stderr

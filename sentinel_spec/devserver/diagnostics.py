"""The dev server's current problems, shared between the reloader and its workers.

The reloader (parent) writes ``.sentinel/dev-errors.json`` whenever the spec
stops compiling or user code fails to import, and deletes it when things are
good again. Workers only ``stat`` it per request (see ``overlay.py``), so the
file is the whole channel: no sockets, no shared memory, and a worker started
later sees the same state.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from sentinel_spec.errors import LineIndex, SpecErrors, more_errors, render_error
from sentinel_spec.limits import MAX_SHOWN_ERRORS

ERRORS_FILE = Path(".sentinel") / "dev-errors.json"

# spec: app.sq does not compile; import: the app failed to start; worker: its process exited.
ProblemKind = Literal["spec", "import", "worker"]


@dataclass(frozen=True)
class Problem:
    """One diagnostic as the browser and API clients see it."""

    kind: ProblemKind
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    rendered: str = ""  # the terminal form: file:line:col, source line, caret


def errors_path(project_dir: Path) -> Path:
    return project_dir / ERRORS_FILE


def problems_from_spec_errors(errors: SpecErrors) -> list[Problem]:
    """The first ``MAX_SHOWN_ERRORS`` diagnostics, then one line counting the others."""
    indexes = {file: LineIndex(source) for file, source in errors.sources.items()}
    shown = errors.errors[:MAX_SHOWN_ERRORS]
    problems = [
        Problem(
            kind="spec",
            message=e.message,
            file=e.span.file,
            line=e.span.line,
            column=e.span.column,
            hint=e.hint,
            rendered=render_error(e, indexes.get(e.span.file)),
        )
        for e in shown
    ]
    hidden = len(errors.errors) - len(shown)
    if hidden:
        problems.append(
            Problem(kind="spec", message=more_errors(hidden), rendered=more_errors(hidden))
        )
    return problems


def import_problem(traceback_text: str) -> Problem:
    last = traceback_text.strip().splitlines()[-1] if traceback_text.strip() else "import failed"
    return Problem(kind="import", message=last, rendered=traceback_text)


def worker_exit_problem(returncode: int | None) -> Problem:
    code = "" if returncode is None else f" (exit code {returncode})"
    return Problem(
        kind="worker",
        message=f"the app's worker process exited{code}; save a file to start it again",
    )


def write_problems(project_dir: Path, problems: list[Problem]) -> None:
    """Publish ``problems`` (atomically, so a worker never reads half a file); [] clears."""
    path = errors_path(project_dir)
    if not problems:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"errors": [asdict(p) for p in problems]}, indent=2))
    os.replace(tmp, path)


def read_problems(project_dir: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(errors_path(project_dir).read_text())
    except (FileNotFoundError, ValueError):
        return []
    errors = data.get("errors", []) if isinstance(data, dict) else []
    return [e for e in errors if isinstance(e, dict)]

"""``sentinel dev``: build, serve, watch, rebuild and swap workers without dropping the port.

Restarting a worker that imports starlette, sqlalchemy and pydantic costs most
of a second, so the reloader (this long-lived parent) keeps things warm:

- it binds the listening socket once and passes its fd to every worker;
- it always keeps a *standby* worker that has imported the heavy libraries;
- on a change it rebuilds in-process (the compiler is fast), tells the standby
  to import the app and serve on the shared socket, and only when the standby
  reports ``ready`` retires the old worker (it stops accepting at once and
  says ``draining``, then finishes its in-flight requests) and spawns a new
  standby. So from the moment ``reloaded`` is printed, every new connection
  is answered by the new code.

A spec error or a failing import never swaps: the last good app keeps serving,
and the problem is printed and published to ``.sentinel/dev-errors.json``
where the workers' dev middleware shows it to clients (see ``overlay.py``).
When there is no good app at all, a worker serves the problems with a 503
instead, so requests never hang on the listening socket.

The parent watches the project folder (not single files: a save that replaces
``app.sq`` would end a watch on the file) and acts on ``app.sq``, ``src/`` and
``migrations/``. It also owns the embedded PostgreSQL server's lifetime.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import click

from sentinel_spec.devserver.diagnostics import (
    Problem,
    import_problem,
    problems_from_spec_errors,
    worker_exit_problem,
    write_problems,
)
from sentinel_spec.errors import SpecErrors

if TYPE_CHECKING:
    from sentinel_spec import BuildResult
    from sentinel_spec.appspec import AppSpec

READY_TIMEOUT = 60.0  # importing a large app against a cold database may be slow
STOP_TIMEOUT = 8.0
# How long a retiring worker may take to stop accepting; a worker whose event loop is
# blocked past it is left to finish on its own (SIGTERM follows at close()).
DRAIN_TIMEOUT = 2.0


class Stoppable(Protocol):
    def stop(self) -> None: ...


def say(message: str) -> None:
    click.echo(f"sentinel dev: {message}", err=True)


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Worker:
    """One worker process seen from the parent: its stdin (commands) and status pipe."""

    def __init__(self, project_dir: Path, sock: socket.socket, log_level: str) -> None:
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sentinel_spec.devserver.worker",
                "--fd",
                str(sock.fileno()),
                "--status-fd",
                str(write_fd),
                "--project",
                str(project_dir),
                "--log-level",
                log_level,
            ],
            stdin=subprocess.PIPE,
            pass_fds=(sock.fileno(), write_fd),
            # Own process group: a terminal Ctrl-C reaches only the parent,
            # which then stops workers in order (and the database last).
            process_group=0,
            text=True,
        )
        os.close(write_fd)
        self._status = os.fdopen(read_fd, "r")
        self._buffer = ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def next_status(self, timeout: float) -> dict[str, Any] | None:
        """The next status line, or None on timeout or when the worker died."""
        deadline = time.monotonic() + timeout
        while "\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._status], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._status.fileno(), 65536).decode()
            if not chunk:
                return None  # EOF: the worker exited
            self._buffer += chunk
        line, self._buffer = self._buffer.split("\n", 1)
        status: dict[str, Any] = json.loads(line)
        return status

    def serve(self, env: Mapping[str, str], cmd: str = "serve") -> None:
        """``serve`` the project's app, or ``problems`` (the 503 stand-in, see overlay.py)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, "env": dict(env)}) + "\n")
        self.proc.stdin.flush()

    def request_stop(self) -> None:
        """Ask for a graceful stop (EOF on stdin) without waiting for it."""
        stdin: IO[str] | None = self.proc.stdin
        if stdin is not None and not stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                stdin.close()

    def retire(self, timeout: float = DRAIN_TIMEOUT) -> None:
        """Ask for a graceful stop and wait until the worker no longer accepts connections;
        its in-flight requests finish afterwards, while the new worker serves."""
        self.request_stop()
        status = self.next_status(timeout)
        while status is not None and status.get("state") != "draining":
            status = self.next_status(timeout)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Graceful: close stdin (the worker's stop signal), then SIGTERM, then SIGKILL."""
        self.request_stop()
        for action in (None, signal.SIGTERM, signal.SIGKILL):
            if action is not None and self.alive():
                self.proc.send_signal(action)
            try:
                self.proc.wait(timeout=timeout / 2)
                break
            except subprocess.TimeoutExpired:
                continue
        self._status.close()


@dataclass
class DevServer:
    project_dir: Path
    host: str = "127.0.0.1"
    port: int = 3001
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    log_level: str = "info"
    sock: socket.socket | None = None
    active: Worker | None = None
    standby: Worker | None = None
    problems_worker: Worker | None = None  # serves 503s while no app does
    database: Stoppable | None = None
    retiring: list[Worker] = field(default_factory=list)  # old workers finishing requests
    worker_env: dict[str, str] = field(default_factory=dict)
    not_served: list[str] = field(default_factory=list)  # the lines printed last
    # The last build's errors; kept beside an import failure of the stale app at start.
    spec_problems: list[Problem] = field(default_factory=list)
    # Set by SIGTERM. The handler also raises KeyboardInterrupt to cut a long wait short,
    # but Python swallows an exception raised inside a __del__ or weakref callback, so
    # the watch loop stops on this event too.
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def spec_path(self) -> Path:
        return self.project_dir / "app.sq"

    # ------------------------------------------------------------ lifecycle

    def run(self) -> None:
        started = time.monotonic()

        def on_sigterm(signum: int, frame: Any) -> None:
            self.stopping.set()
            raise KeyboardInterrupt

        previous_term = signal.signal(signal.SIGTERM, on_sigterm)
        try:
            self.sock = bind_socket(self.host, self.port)
            self.standby = self._spawn()  # warms up while the database starts
            self._watch(lambda: self._start(started))
            say("stopping")  # the stop event ended the watch
        except KeyboardInterrupt:
            say("stopping")
        finally:
            signal.signal(signal.SIGTERM, previous_term)
            self.close()

    def _start(self, started: float) -> None:
        """First build, database and worker; runs once the watcher is live, so no
        edit made while starting is missed."""
        built = self._build()
        spec = built.spec if built is not None else None
        if spec is not None:
            self.job_queue = bool(spec.jobs)
            self._prepare_database(spec)
        # The app's own process runs a job worker (runtime/jobs/feature.py): it restarts
        # with each reload, so jobs always run the code being served.
        self.worker_env = {
            **self.worker_env,
            "SENTINEL_ENV": "development",
            "SENTINEL_JOBS_WORKER": "1",
        }
        if spec is not None:
            # A spec broken at start serves no stale app: its database was never
            # resolved, so it would add a "DATABASE_URL is not set" failure to the real
            # errors. The stand-in answers 503 with them until a save fixes the spec.
            self._swap()
        if self.active is not None:
            elapsed = time.monotonic() - started
            say(f"serving http://{self.host}:{self.port} (ready in {elapsed:.2f}s)")
        else:
            self._serve_problems_if_idle()
        say("watching app.sq, src/ and migrations/ for changes (Ctrl-C to stop)")

    def close(self) -> None:
        workers = (self.standby, self.active, self.problems_worker, *self.retiring)
        for worker in workers:
            if worker is not None:
                worker.request_stop()
        for worker in workers:
            if worker is not None:
                worker.stop()
        self.standby = self.active = self.problems_worker = None
        self.retiring = []
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.database is not None:
            self.database.stop()
            self.database = None

    # ------------------------------------------------------------ steps

    def _spawn(self) -> Worker:
        assert self.sock is not None
        return Worker(self.project_dir, self.sock, self.log_level)

    def _build(self) -> BuildResult | None:
        """Rebuild ``generated/``; on spec errors print and publish them, return None."""
        from sentinel_spec import build

        keeping = "; the last good app keeps serving" if self.active is not None else ""
        try:
            result = build(self.spec_path)
        except SpecErrors as errors:
            click.echo(errors.render(), err=True)
            say(f"{len(errors.errors)} spec error(s){keeping}")
            self.spec_problems = problems_from_spec_errors(errors)
            write_problems(self.project_dir, self.spec_problems)
            return None
        except OSError as error:
            say(f"cannot build: {error}{keeping}")
            self.spec_problems = [Problem(kind="spec", message=str(error))]
            write_problems(self.project_dir, self.spec_problems)
            return None
        self.spec_problems = []
        self._report_not_served(result.spec)
        drop_bytecode(self.project_dir / "generated" / name for name in result.written)
        if result.written or result.removed:
            say(f"built generated/ ({len(result.written)} written, {len(result.removed)} removed)")
        return result

    # The spec declares jobs: the job queue's tables are part of what needs a revision.
    job_queue = False

    def _report_not_served(self, spec: AppSpec) -> None:
        """One line per declared feature the runtime does not serve yet: at the first good
        build, and again whenever a save changes the list. The workers stay quiet."""
        from sentinel_spec.contract.features import REPORTED_ENV, unserved

        lines = [found.not_served_line() for found in unserved(spec.declared_features())]
        if lines != self.not_served:
            for line in lines:
                say(line)
            self.not_served = lines
        self.worker_env[REPORTED_ENV] = "1"

    def _prepare_database(self, spec: AppSpec) -> None:
        """Resolve the database (embedded if needed), migrate, warn about unmigrated models."""
        if not spec.needs_database and "DATABASE_URL" not in self.environ:
            return
        from sentinel_spec.commands.postgres import database_url_for

        try:
            url, embedded = database_url_for(self.project_dir, self.environ)
        except Exception as error:  # the next save tries again
            say(f"could not start the embedded PostgreSQL server: {error}")
            return
        self.database = embedded
        if embedded is not None:
            if embedded.adopted:  # running already: another `sentinel db`/dev, or a crash
                say("reused the embedded PostgreSQL server in .sentinel/")
            else:
                say("started the embedded PostgreSQL server in .sentinel/")
        self.worker_env["DATABASE_URL"] = url
        self._apply_migrations()
        self._report_unmigrated()

    def _apply_migrations(self, watched: bool = False) -> None:
        """Apply pending revisions of migrations/ (nothing to do without a database yet)."""
        url = self.worker_env.get("DATABASE_URL")
        if url is None:
            return
        try:
            from sentinel_spec.migrations import upgrade

            applied = upgrade(self.project_dir, url)
        except Exception as error:
            say(f"could not apply migrations: {error}")
            return
        if applied:
            names = ", ".join(f"{r.revision} {r.message}".strip() for r in applied)
            source = " from migrations/" if watched else ""
            say(f"applied {len(applied)} migration(s){source}: {names}")
        elif watched:
            say("migrations/ changed; the database was already up to date")

    def _report_unmigrated(self) -> None:
        url = self.worker_env.get("DATABASE_URL")
        if url is None:
            return
        try:
            from sentinel_spec.migrations import pending_changes

            changes = pending_changes(self.project_dir, url, job_queue=self.job_queue)
        except Exception as error:
            say(f"could not compare the models with the database: {error}")
            return
        if changes:
            listing = "".join(f"\n  - {c}" for c in changes)
            say(
                "the models have changes with no migration yet:"
                f"{listing}\n  create one with: sentinel db migrate --name <what_changed>"
            )

    def _swap(self, clear_problems: bool = True) -> bool:
        """Make the standby serve the current build; keep the old worker on failure."""
        candidate = self._take_standby()
        ok = self._await_standby(candidate) and self._start_serving(candidate)
        if ok:
            old, self.active = self.active, candidate
            if clear_problems:
                write_problems(self.project_dir, [])
            for retired in (old, self.problems_worker):
                if retired is not None:
                    # Once "reloaded" is printed, no new connection reaches old code.
                    retired.retire()
                    self.retiring.append(retired)
            self.problems_worker = None
        else:
            candidate.stop()
        self.standby = self._spawn()
        if not ok:
            self._serve_problems_if_idle()
        return ok

    def _take_standby(self) -> Worker:
        candidate = self.standby if self.standby is not None else self._spawn()
        self.standby = None
        return candidate

    def _serve_problems_if_idle(self) -> None:
        """With no app serving, let a worker answer 503 and the problems: nobody accepting
        on the listening socket would leave every request hanging."""
        if self.active is not None or self.problems_worker is not None:
            return
        candidate = self._take_standby()
        worked = False
        if self._await_standby(candidate):
            candidate.serve(self.worker_env, cmd="problems")
            status = candidate.next_status(READY_TIMEOUT)
            worked = status is not None and status.get("state") == "ready"
        if worked:
            self.problems_worker = candidate
            say(
                f"no app is serving: http://{self.host}:{self.port} answers 503 with the "
                "problems until a save fixes them"
            )
        else:
            candidate.stop()
            say("no app is serving, and the stand-in that answers 503 failed to start")
        self.standby = self._spawn()

    def _await_standby(self, worker: Worker) -> bool:
        status = worker.next_status(READY_TIMEOUT)
        if status is None or status.get("state") != "standby":
            say("a worker failed to start; see the output above")
            return False
        return True

    def _start_serving(self, worker: Worker) -> bool:
        worker.serve(self.worker_env)
        status = worker.next_status(READY_TIMEOUT)
        if status is not None and status.get("state") == "ready":
            return True
        text = (status or {}).get("traceback") or "the worker exited while starting the app"
        write_problems(self.project_dir, [*self.spec_problems, import_problem(str(text))])
        keeping = "; the previous app keeps serving" if self.active is not None else ""
        say(f"the app failed to start{keeping}. Fix the error above and save.")
        return False

    def on_change(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        drop_bytecode(Path(p) for p in paths)
        names = sorted({os.path.relpath(p, self.project_dir) for p in paths})
        say(f"changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}")
        started = time.monotonic()
        migrations_changed = any(n.split(os.sep, 1)[0] == "migrations" for n in names)
        if all(n.split(os.sep, 1)[0] == "migrations" for n in names):
            # A new or pulled revision: the running app needs no rebuild, the database does.
            self._apply_migrations(watched=True)
            self._report_unmigrated()
            return
        built = self._build()
        if built is not None:
            self.job_queue = bool(built.spec.jobs)
        if built is None:
            if migrations_changed:
                self._apply_migrations(watched=True)
            return
        if built.spec.needs_database and "DATABASE_URL" not in self.worker_env:
            # First start had a broken spec, or the app just gained its first entity.
            self._prepare_database(built.spec)
        else:
            if migrations_changed:
                self._apply_migrations(watched=True)
            if migrations_changed or "models.py" in built.written:
                self._report_unmigrated()
        if self._swap():
            say(f"reloaded in {time.monotonic() - started:.2f}s")

    # ------------------------------------------------------------ watching

    def _watch(self, start: Callable[[], None]) -> None:
        """Feed ``on_change`` from two watchers: the project folder itself, not recursive
        (editors and sed -i save app.sq by replacing it, which would end a watch on the
        file), and src/ and migrations/, recursive. A recursive watch of the whole folder
        would also watch a .venv/ and the embedded database's files."""
        batches: queue.Queue[list[str]] = queue.Queue()
        top = _Pump([self.project_dir], recursive=False, out=batches)
        deep = _Pump(self._watched_folders(), recursive=True, out=batches)
        try:
            top.wait_ready()
            deep.wait_ready()
            start()
            while not self.stopping.is_set():
                try:
                    paths = batches.get(timeout=0.1)
                except queue.Empty:
                    self._heal()
                    continue
                with contextlib.suppress(queue.Empty):
                    while True:  # one rebuild for everything saved together
                        paths += batches.get_nowait()
                if self._watched_folders() != deep.paths:  # src/ or migrations/ appeared
                    deep.stop()
                    deep = _Pump(self._watched_folders(), recursive=True, out=batches)
                    deep.wait_ready()
                relevant = sorted({p for p in paths if is_watched(self.project_dir, p)})
                if relevant:
                    self.on_change(relevant)
                self._heal()
        finally:
            top.stop()
            deep.stop()

    def _watched_folders(self) -> list[Path]:
        return [
            self.project_dir / name
            for name in WATCHED_FOLDERS
            if (self.project_dir / name).is_dir()
        ]

    def _heal(self) -> None:
        """Reap retired workers, replace a dead standby, tell when the serving worker died."""
        for worker in [w for w in self.retiring if not w.alive()]:
            worker.stop()
            self.retiring.remove(worker)
        if self.standby is not None and not self.standby.alive():
            self.standby.stop()
            self.standby = self._spawn()
        if self.active is not None and not self.active.alive():
            say("the app's worker exited; save a file to start it again")
            self.active.stop()
            write_problems(self.project_dir, [worker_exit_problem(self.active.proc.returncode)])
            self.active = None
            self._serve_problems_if_idle()
        if self.problems_worker is not None and not self.problems_worker.alive():
            self.problems_worker.stop()
            self.problems_worker = None
            self._serve_problems_if_idle()


def drop_bytecode(paths: Iterable[Path]) -> None:
    """Delete the cached bytecode of changed sources.

    An edit within the same second that keeps the file size fools Python's
    mtime+size check of ``.pyc`` files, and a worker would import the old code.
    """
    from importlib.util import cache_from_source

    for path in paths:
        if path.suffix == ".py":
            with contextlib.suppress(OSError, ValueError):
                Path(cache_from_source(str(path))).unlink(missing_ok=True)


class _Pump:
    """One ``watchfiles`` watcher on a thread, putting the changed paths on a queue."""

    def __init__(self, paths: list[Path], recursive: bool, out: queue.Queue[list[str]]) -> None:
        self.paths = paths
        self.out = out
        self.ready = threading.Event()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        if paths:
            self.thread = threading.Thread(target=self._run, args=(recursive,), daemon=True)
            self.thread.start()
        else:
            self.ready.set()

    def _run(self, recursive: bool) -> None:
        import watchfiles

        for changes in watchfiles.watch(
            *self.paths,
            recursive=recursive,
            debounce=400,
            step=20,
            rust_timeout=100,
            yield_on_timeout=True,  # the first (empty) yield says it is watching
            ignore_permission_denied=True,
            stop_event=self.stopped,
        ):
            self.ready.set()
            if changes:
                self.out.put([path for _, path in changes])

    def wait_ready(self, timeout: float = 10.0) -> None:
        self.ready.wait(timeout)

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=2)


WATCHED_FILES = ("app.sq",)
WATCHED_FOLDERS = ("src", "migrations")


# Files editors and tools write beside the one they save: `sed -i` (sedXXXXXX), vim's
# write test (4913), emacs auto-saves (#name#).
_EDITOR_TEMPORARY = re.compile(r"sed[A-Za-z0-9]{6}|4913|#.*#")


def is_watched(project_dir: Path, path: str) -> bool:
    """``app.sq`` and files under ``src/`` or ``migrations/``, minus editor and cache noise."""
    parts = Path(os.path.relpath(path, project_dir)).parts
    if not parts or parts[0] == ".." or "__pycache__" in parts:
        return False
    name = parts[-1]
    if name.startswith(".") or name.endswith((".pyc", "~", ".swp", ".swx", ".tmp")):
        return False
    if _EDITOR_TEMPORARY.fullmatch(name):
        return False
    if len(parts) == 1:
        return name in WATCHED_FILES
    return parts[0] in WATCHED_FOLDERS


def run_dev_server(
    project_dir: Path, host: str, port: int, environ: Mapping[str, str] | None = None
) -> None:
    """Block serving ``project_dir`` with reload until Ctrl-C or SIGTERM."""
    server = DevServer(project_dir.resolve(), host, port, dict(environ or os.environ))
    server.run()

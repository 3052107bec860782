"""``sentinel deploy-files``: a Dockerfile and a compose file for one app, from its spec.

What ``wasp build`` + ``wasp dockerfile`` give Wasp users: an image that serves the app
and a compose file that runs it beside PostgreSQL and Redis, with the database migrated
before the web server starts and a job worker when the spec declares jobs.

``deploy_files`` is pure (spec in, file texts out); the command writes them. The files
are a starting point the project owns and edits: nothing regenerates them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sentinel_spec import __version__
from sentinel_spec.appspec import AppSpec, EnvValue
from sentinel_spec.contract.names import kebab

PORT = 3001
PYTHON_VERSION = "3.12"
POSTGRES_IMAGE = "postgres:17"
REDIS_IMAGE = "redis:7-alpine"
DB_USER = "sentinel"
# Set by compose itself; a spec's env("REDIS_URL", ...) is then already answered.
COMPOSE_ENV = ("DATABASE_URL", "REDIS_URL", "SENTINEL_ENV", "PORT")


@dataclass(frozen=True)
class DeployOptions:
    has_requirements: bool = False  # the project has its own requirements.txt
    has_wheels: bool = False  # a wheels/ folder to install from (e.g. sentinel-spec itself)
    has_migrations: bool = True  # a migrations/ folder (apps without entities may have none)


def env_values(spec: AppSpec) -> list[EnvValue]:
    """Every ``env(...)`` of the spec, first occurrence of each name, in spec order."""
    seen: dict[str, EnvValue] = {}
    for value in _walk(spec):
        if isinstance(value, EnvValue) and value.name not in seen:
            seen[value.name] = value
    return list(seen.values())


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.compare:  # positions and other bookkeeping hold no values
                yield from _walk(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _walk(item)


def deploy_files(spec: AppSpec, options: DeployOptions = DeployOptions()) -> dict[str, str]:
    """File name -> text: Dockerfile, .dockerignore, compose.yaml, .env.example and,
    unless the project has one, requirements.txt."""
    files = {
        "Dockerfile": dockerfile(spec, options),
        ".dockerignore": DOCKERIGNORE,
        "compose.yaml": compose(spec),
        ".env.example": env_example(spec),
    }
    if not options.has_requirements:
        files["requirements.txt"] = requirements()
    return files


def requirements() -> str:
    return (
        "# What the image installs (sentinel deploy-files wrote this; edit it freely).\n"
        "# sentinel-spec brings Starlette, SQLAlchemy, asyncpg, psycopg, pydantic and the rest.\n"
        "# To install Sentinel from a wheel instead, put it in wheels/ and write its file\n"
        "# name here, e.g. ./wheels/sentinel_spec-0.1.0-py3-none-any.whl\n"
        f"sentinel-spec=={__version__}\n"
    )


def dockerfile(spec: AppSpec, options: DeployOptions) -> str:
    wheels = "COPY wheels/ ./wheels/\n" if options.has_wheels else ""
    migrations = "COPY migrations/ ./migrations/\n" if options.has_migrations else ""
    health = (
        "import os, urllib.request; "
        "urllib.request.urlopen('http://127.0.0.1:%s/api/health' % os.environ.get('PORT', "
        f"'{PORT}'), timeout=4)"
    )
    return f"""\
# syntax=docker/dockerfile:1
# The image of {spec.app.name}, written by `sentinel deploy-files`. Edit it freely.
#   docker build -t {kebab(spec.app.name)} .
#   docker run -p {PORT}:{PORT} -e DATABASE_URL=postgresql://... {kebab(spec.app.name)}
ARG PYTHON_VERSION={PYTHON_VERSION}

# ---- build: the dependencies, in a virtualenv the runtime stage copies whole
FROM python:${{PYTHON_VERSION}}-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
# Requirements first: a change to the code alone does not reinstall them.
COPY requirements.txt ./
{wheels}RUN pip install -r requirements.txt

# ---- runtime: slim, no compiler, no pip cache, not root
FROM python:${{PYTHON_VERSION}}-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PATH=/opt/venv/bin:$PATH \\
    SENTINEL_ENV=production \\
    PORT={PORT}
RUN groupadd --system --gid 10001 app \\
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can read it, not change it.
COPY app.sq ./
COPY src/ ./src/
COPY generated/ ./generated/
{migrations}# generated/ is committed: refuse to build an image from a stale one.
RUN sentinel build --check && python -m compileall -q src generated
USER app
EXPOSE {PORT}
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \\
  CMD ["python", "-c", {json.dumps(health)}]
ENTRYPOINT ["sentinel"]
CMD ["start", "--host", "0.0.0.0"]
"""


DOCKERIGNORE = """\
# Kept out of the image (sentinel deploy-files wrote this).
.git
.sentinel/
.env
**/__pycache__
**/*.pyc
.venv/
venv/
node_modules/
tests/
"""


def _env_line(value: EnvValue) -> str:
    """``${NAME:-default}`` (``${NAME:?...}`` when required) as a YAML string."""
    if value.required:
        return json.dumps(f"${{{value.name}:?set {value.name} in .env}}")
    default = value.default if isinstance(value.default, str) else json.dumps(value.default)
    if value.default is None:
        default = ""
    # compose reads "$" as the start of a variable and stops a default at "}".
    default = default.replace("$", "$$").replace("}", "")
    return json.dumps(f"${{{value.name}:-{default}}}")


def compose(spec: AppSpec) -> str:
    name = kebab(spec.app.name)
    database = name.replace("-", "_")
    url = f"postgresql://{DB_USER}:${{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}}@db:5432"
    env = [
        f"  DATABASE_URL: {url}/{database}",
        "  REDIS_URL: redis://redis:6379/0",
        "  SENTINEL_ENV: production",
    ]
    env += [
        f"  {value.name}: {_env_line(value)}"
        for value in env_values(spec)
        if value.name not in COMPOSE_ENV
    ]
    app_deps = """\
    depends_on:
      db:
        condition: service_healthy
      redis:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
"""
    worker = ""
    if spec.jobs:
        worker = f"""
  # Runs the jobs of app.sq ({", ".join(j.name for j in spec.jobs)}); scale with
  # `docker compose up --scale worker=3`.
  worker:
    image: {name}:latest
    command: ["worker"]
    environment: *app-env
    # The image's health check asks the web server; a worker serves no HTTP.
    healthcheck:
      disable: true
{app_deps}    restart: unless-stopped
"""
    return f"""\
# {spec.app.name} with its database, Redis, migrations{" and job worker" if spec.jobs else ""},
# written by `sentinel deploy-files`. Put POSTGRES_PASSWORD (and the variables listed in
# .env.example) in .env, then: docker compose up --build
name: {name}

x-app-env: &app-env
{chr(10).join(env)}

services:
  db:
    image: {POSTGRES_IMAGE}
    environment:
      POSTGRES_USER: {DB_USER}
      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}}
      POSTGRES_DB: {database}
    volumes:
      - db-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U {DB_USER} -d {database}"]
      interval: 5s
      timeout: 5s
      retries: 10
    restart: unless-stopped

  redis:
    image: {REDIS_IMAGE}
    command: ["redis-server", "--appendonly", "yes"]
    volumes:
      - redis-data:/data
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 5s
      timeout: 5s
      retries: 10
    restart: unless-stopped

  # Applies the migrations in migrations/ once, before the server and the worker start.
  migrate:
    build: .
    image: {name}:latest
    command: ["db", "upgrade"]
    environment: *app-env
    healthcheck:
      disable: true
    depends_on:
      db:
        condition: service_healthy
    restart: "no"

  web:
    image: {name}:latest
    command: ["start", "--host", "0.0.0.0", "--port", "{PORT}"]
    environment: *app-env
    ports:
      - "{PORT}:{PORT}"
{app_deps}    restart: unless-stopped
{worker}
volumes:
  db-data:
  redis-data:
"""


def env_example(spec: AppSpec) -> str:
    lines = [
        "# Copy to .env and fill in; compose reads it (never commit .env).",
        "POSTGRES_PASSWORD=",
    ]
    for value in env_values(spec):
        if value.name in COMPOSE_ENV:
            continue
        if value.required:
            lines.append(f"{value.name}=")
        else:
            shown = "" if value.default is None else value.default
            lines.append(f"# {value.name}={shown}")
    return "\n".join(lines) + "\n"

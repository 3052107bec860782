"""``sentinel deploy-files``: the Dockerfile and compose file, read the way Docker reads them.

Docker cannot run on the test machines, so the files are checked for what matters to a
deployment: stages, user, health check, entrypoint; compose services, their order of
start (depends_on conditions), commands, environment and interpolation syntax.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from sentinel_spec import load_spec
from sentinel_spec.cli import main
from sentinel_spec.deploy import DeployOptions, deploy_files, env_values

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sentineliq() -> Any:
    return load_spec(REPO / "app.sq")


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    rows = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word.upper(), rest.strip()))
    return rows


def stages(rows: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for word, rest in rows:
        if word == "FROM":
            current = rest.split(" AS ")[-1]
            found[current] = []
        if current is not None:
            found[current].append((word, rest))
    return found


def test_the_dockerfile_is_multi_stage_slim_non_root_with_a_health_check(sentineliq: Any) -> None:
    rows = instructions(deploy_files(sentineliq)["Dockerfile"])
    by_stage = stages(rows)
    assert list(by_stage) == ["build", "runtime"]
    for stage in by_stage.values():
        assert stage[0][1].startswith("python:${PYTHON_VERSION}-slim")
    runtime = by_stage["runtime"]
    words = [w for w, _ in runtime]
    assert ("COPY", "--from=build /opt/venv /opt/venv") in runtime
    user = words.index("USER")
    assert runtime[user][1] == "app"
    assert user < words.index("ENTRYPOINT") and user < words.index("CMD")
    assert any("useradd --system --uid 10001" in rest for w, rest in runtime if w == "RUN")
    assert any("sentinel build --check" in rest for w, rest in runtime if w == "RUN")
    assert dict(runtime)["ENTRYPOINT"] == '["sentinel"]'
    assert dict(runtime)["CMD"] == '["start", "--host", "0.0.0.0"]'
    health = dict(runtime)["HEALTHCHECK"]
    command = yaml.safe_load(health.split(" CMD ", 1)[1])  # a JSON array is YAML too
    assert command[:2] == ["python", "-c"]
    assert "/api/health" in command[2]
    compile(command[2], "<healthcheck>", "exec")
    # pip and the venv build happen in the build stage only.
    assert not any("pip install" in rest for w, rest in runtime if w == "RUN")


def test_wheels_are_copied_only_when_the_project_has_them(sentineliq: Any) -> None:
    plain = deploy_files(sentineliq)
    assert "COPY wheels/" not in plain["Dockerfile"]
    assert "sentinel-spec==" in plain["requirements.txt"]
    own = deploy_files(sentineliq, DeployOptions(has_requirements=True, has_wheels=True))
    assert "COPY wheels/ ./wheels/" in own["Dockerfile"]
    assert "requirements.txt" not in own
    assert "COPY migrations/" in plain["Dockerfile"]
    bare = deploy_files(sentineliq, DeployOptions(has_migrations=False))
    assert "COPY migrations/" not in bare["Dockerfile"]


def command_of(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return command if isinstance(command, list) else shlex.split(command)


def test_compose_runs_database_redis_migrations_web_and_worker(sentineliq: Any) -> None:
    compose = yaml.safe_load(deploy_files(sentineliq)["compose.yaml"])
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert command_of(services["migrate"]) == ["db", "upgrade"]
    assert command_of(services["web"])[0] == "start"
    assert command_of(services["worker"]) == ["worker"]
    assert services["migrate"]["build"] == "."
    image = services["migrate"]["image"]
    assert services["web"]["image"] == services["worker"]["image"] == image
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["web"]["ports"] == ["3001:3001"]
    assert services["worker"]["healthcheck"] == {"disable": True}
    # One environment for every app container (a YAML anchor), with the spec's env().
    env = services["web"]["environment"]
    assert services["worker"]["environment"] is env and services["migrate"]["environment"] is env
    assert env["DATABASE_URL"].startswith("postgresql://sentinel:${POSTGRES_PASSWORD:?")
    assert env["DATABASE_URL"].endswith("@db:5432/sentinel_iq")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    spec_names = {v.name for v in env_values(sentineliq)}
    assert spec_names - {"REDIS_URL"} <= set(env)
    # The production list's default (app.sq gives one list per environment).
    assert env["CORS_ORIGINS"] == "${CORS_ORIGINS:-https://app.sentineliq.dev}"
    for key, service in services.items():
        assert service.get("restart") in ("unless-stopped", "no"), key
    assert set(compose["volumes"]) == {"db-data", "redis-data"}


INTERPOLATION = re.compile(r"\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*(?::[-?][^}]*)?\}")


def test_every_dollar_in_compose_is_valid_interpolation(sentineliq: Any) -> None:
    text = deploy_files(sentineliq)["compose.yaml"]
    assert "$" not in INTERPOLATION.sub("", text)


def test_an_app_without_jobs_gets_no_worker(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text(
        'app Tiny { title: "T", server: { sentry: { dsn: env("SENTRY_DSN") } } }\n'
        "entity Note { id Int @id }\n"
    )
    spec = load_spec(tmp_path / "app.sq")
    files = deploy_files(spec)
    compose = yaml.safe_load(files["compose.yaml"])
    assert "worker" not in compose["services"]
    assert compose["name"] == "tiny"
    # A required env() stops compose with a message instead of starting without it.
    assert compose["services"]["web"]["environment"]["SENTRY_DSN"] == (
        "${SENTRY_DSN:?set SENTRY_DSN in .env}"
    )
    assert "SENTRY_DSN=\n" in files[".env.example"]


def test_the_commands_the_files_run_exist() -> None:
    ctx = click.Context(main)
    assert main.get_command(ctx, "start") is not None
    db = main.get_command(ctx, "db")
    assert isinstance(db, click.Group) and "upgrade" in db.commands

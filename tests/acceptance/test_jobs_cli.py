"""Acceptance: jobs through the real executables: ``sentinel db migrate`` installs the
queue, ``sentinel worker`` runs it (SIGTERM stops it), ``sentinel jobs`` looks into it,
and ``sentinel dev`` runs jobs in-process, submitted by an action over HTTP."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.acceptance.test_sentinel_cli import edit, new_project
from tests.servers import free_port, running, sentinel

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

JOBS_SPEC = """
job noteJob {
  executor: PgBoss,
  perform: { fn: import { note_job } from "@src/jobs" },
  entities: [Note],
}

job slowJob {
  executor: PgBoss,
  perform: { fn: import { slow_job } from "@src/jobs" },
}

action queueNote {
  fn: import { queue_note } from "@src/jobs",
  entities: [Note],
}
"""

JOBS_CODE = """import asyncio


async def note_job(args, context):
    if args.get("fail"):
        raise RuntimeError("asked to fail")
    context.session.add(context.entities.Note(text=f"{args['text']} (job {context.job.id})"))


async def slow_job(args, context):
    await asyncio.sleep(float(args))


async def queue_note(args, context):
    return {"jobId": await context.jobs.noteJob.submit(args)}
"""


def with_jobs(project: Path) -> None:
    (project / "app.sq").write_text((project / "app.sq").read_text() + JOBS_SPEC)
    (project / "src" / "jobs.py").write_text(JOBS_CODE)


def jobs_json(project: Path, env: dict[str, str], *args: str) -> dict[str, object]:
    listed = sentinel("jobs", "list", "--json", *args, cwd=project, env=env, timeout=90)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    return json.loads(listed.stdout)


def test_migrate_worker_and_jobs_commands(tmp_path: Path, database_url: str) -> None:
    project = new_project(tmp_path)
    with_jobs(project)
    env = {"DATABASE_URL": database_url}
    assert sentinel("build", cwd=project).returncode == 0
    not_ready = sentinel("jobs", "list", cwd=project, env=env, timeout=90)
    assert not_ready.returncode == 1 and "sentinel db migrate" in not_ready.stderr
    migrated = sentinel("db", "migrate", "-n", "job queue", cwd=project, env=env, timeout=90)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert sentinel("db", "upgrade", cwd=project, env=env, timeout=90).returncode == 0
    status = sentinel("db", "status", "--check", cwd=project, env=env, timeout=90)
    assert status.returncode == 0, status.stdout + status.stderr

    port = free_port()
    with running("worker", "--concurrency", "2", cwd=project, port=port, env=env) as worker:
        worker.wait_output("worker started", timeout=60)
        ok = sentinel(
            "jobs",
            "run",
            "noteJob",
            "--args",
            '{"text": "hi"}',
            "--wait",
            cwd=project,
            env=env,
            timeout=90,
        )
        assert ok.returncode == 0 and "succeeded" in ok.stdout, ok.stdout + ok.stderr

        bad = sentinel(
            "jobs",
            "run",
            "noteJob",
            "--args",
            '{"fail": true}',
            "--wait",
            cwd=project,
            env=env,
            timeout=90,
        )
        assert bad.returncode == 1 and "failed" in bad.stdout
        failed = jobs_json(project, env, "--status", "failed")["jobs"]
        assert [j["name"] for j in failed] == ["noteJob"]  # type: ignore[index]
        failed_id = str(failed[0]["id"])  # type: ignore[index]
        retried = sentinel("jobs", "retry", failed_id, cwd=project, env=env, timeout=90)
        assert retried.returncode == 0 and "queued again" in retried.stdout

        slow = sentinel("jobs", "run", "slowJob", "--args", "60", cwd=project, env=env, timeout=90)
        slow_id = slow.stdout.split()[2]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            doing = jobs_json(project, env, "--status", "doing")["jobs"]
            if any(str(j["id"]) == slow_id for j in doing):  # type: ignore[index]
                break
            time.sleep(0.2)
        cancelled = sentinel("jobs", "cancel", slow_id, cwd=project, env=env, timeout=90)
        assert cancelled.returncode == 0 and "asked it to stop" in cancelled.stdout
        unknown = sentinel("jobs", "run", "nope", cwd=project, env=env, timeout=90)
        assert unknown.returncode == 2 and "noteJob" in unknown.stderr

        os.killpg(worker.proc.pid, signal.SIGTERM)
        assert worker.proc.wait(timeout=60) == 0
        assert "worker stopped" in worker.output()

    body = jobs_json(project, env)
    by_status = {j["status"] for j in body["jobs"]}  # type: ignore[union-attr]
    assert {"succeeded", "aborted"} <= by_status
    assert body["queue"]["workers"] == 0  # type: ignore[index]
    assert body["queue"]["counts"]["succeeded"] >= 1  # type: ignore[index]


def test_dev_runs_a_job_an_action_submitted(tmp_path: Path, database_url: str) -> None:
    project = new_project(tmp_path)
    with_jobs(project)
    env = {"DATABASE_URL": database_url}
    assert sentinel("build", cwd=project).returncode == 0
    migrated = sentinel("db", "migrate", "-n", "job queue", cwd=project, env=env, timeout=90)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    port = free_port()
    with running("dev", "--port", str(port), cwd=project, port=port, env=env) as server:
        server.wait_output("serving http://", timeout=90)
        queued = server.post("/operations/queue-note", json={"text": "from dev"})
        assert queued.status_code == 200, queued.text
        job_id = queued.json()["jobId"]
        notes = server.wait_for(
            "/operations/get-notes",
            lambda r: any(n["text"] == f"from dev (job {job_id})" for n in r.json()),
            timeout=90,
        )
        assert notes.status_code == 200
        # A reload restarts the worker with the app: the new code runs the next job.
        edit(project / "src" / "jobs.py", "(job {context.job.id})", "[v2 {context.job.id}]")
        server.wait_output("reloaded in", timeout=120)
        again = server.post("/operations/queue-note", json={"text": "after reload"}).json()
        server.wait_for(
            "/operations/get-notes",
            lambda r: any(n["text"] == f"after reload [v2 {again['jobId']}]" for n in r.json()),
            timeout=90,
        )

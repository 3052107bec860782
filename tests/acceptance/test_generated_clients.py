"""Acceptance: the generated clients against a running app (``sentinel start``, PostgreSQL).

``generated/client.py`` is used from a separate Python process (sync and async), and
``generated/client.js`` from Node (its fetch is the browser's API), both over real HTTP.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port, running, sentinel

pytestmark = pytest.mark.slow

PYTHON_SCRIPT = """
import asyncio, json, sys
from generated.client import AsyncClient, Client, SentinelError, NewNote

base = sys.argv[1]
out = {}
with Client(base) as client:
    out["created"] = client.create_note(NewNote(text="from python"))["text"]
    out["plain"] = client.create_note({"text": "from a dict"})["text"]
    out["notes"] = [n["text"] for n in client.get_notes()]
    out["health"] = client.health().json()["status"]
    try:
        client.create_note({"text": ""})
    except SentinelError as error:
        out["error"] = [error.status, error.code]

async def main():
    async with AsyncClient(base) as client:
        return [n["text"] for n in await client.get_notes()]

out["async"] = asyncio.run(main())
print(json.dumps(out))
"""

NODE_SCRIPT = """
globalThis.SENTINEL_BASE_URL = process.argv[2];
const client = await import(process.argv[3]);
const created = await client.createNote({ text: "from js" });
const notes = await client.getNotes();
const health = await (await client.health()).json();
let error = null;
try { await client.createNote({ text: "" }); } catch (e) { error = [e.name, e.status, e.code]; }
const result = { created: created.text, count: notes.length, health: health.status, error };
console.log(JSON.stringify(result));
"""


def test_python_and_javascript_clients_call_the_app(tmp_path: Path, database_url: str) -> None:
    assert sentinel("new", "shop", cwd=tmp_path).returncode == 0
    project = tmp_path / "shop"
    env = {"DATABASE_URL": database_url}
    upgraded = sentinel("db", "upgrade", cwd=project, env=env, timeout=90)
    assert upgraded.returncode == 0, upgraded.stderr
    port = free_port()
    with running("start", "--port", str(port), cwd=project, port=port, env=env) as server:
        assert server.wait_for("/api/health").status_code == 200
        served = server.get("/client.js")
        assert served.status_code == 200
        assert served.headers["content-type"].startswith("text/javascript")
        assert served.text == (project / "generated" / "client.js").read_text()

        python = subprocess.run(
            [sys.executable, "-c", PYTHON_SCRIPT, server.base],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert python.returncode == 0, python.stderr
        out = json.loads(python.stdout)
        assert out["created"] == "from python" and out["plain"] == "from a dict"
        assert out["notes"] == ["from python", "from a dict"]
        assert out["async"] == out["notes"]
        assert out["health"] == "ok"
        assert out["error"] == [400, "validation_error"]

        node = shutil.which("node")
        if node is None:
            pytest.fail("node is not installed: apt-get install nodejs to test client.js")
        script = tmp_path / "client-test.mjs"
        script.write_text(NODE_SCRIPT)
        module = (project / "generated" / "client.js").as_uri()
        ran = subprocess.run(
            [node, str(script), server.base, module], capture_output=True, text=True, timeout=60
        )
        assert ran.returncode == 0, ran.stderr
        js = json.loads(ran.stdout)
        assert js == {
            "created": "from js",
            "count": 3,
            "health": "ok",
            "error": ["SentinelError", 400, "validation_error"],
        }

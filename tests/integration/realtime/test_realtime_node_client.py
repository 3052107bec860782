"""The npm ``socket.io-client`` (installed by npm from tests/integration/realtime/node's
package.json and package-lock.json) against ``app.webSocket``: polling then websocket
upgrade, session auth by the ``auth`` payload, a room emit, and a refused connection.

The session comes from the real auth routes (``accounts.signed_in``).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.realtime import decl_app
from tests.integration.realtime.accounts import signed_in
from tests.integration.realtime.servers import serving
from tests.mail_servers import SmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

NODE_DIR = Path(__file__).parent / "node"


@pytest.fixture(scope="module")
def node_client() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the socket.io-client test")
    if not (NODE_DIR / "node_modules" / "socket.io-client").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=NODE_DIR,
            check=True,
            timeout=300,
        )
    return NODE_DIR / "client.js"


async def run_client(script: Path, url: str, token: str) -> list[dict[str, object]]:
    proc = await asyncio.create_subprocess_exec(
        "node", str(script), url, token, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


async def test_node_socket_io_client(
    realtime_db: str, smtp: SmtpServer, tmp_path: Path, node_client: Path
) -> None:
    app = decl_app.build({"DATABASE_URL": realtime_db, "UPLOAD_DIR": str(tmp_path), **smtp.env()})
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        events = await run_client(node_client, f"http://{address}", alice.session)
        assert events == [
            {"kind": "ready", "data": {"user": alice.id}},
            {"kind": "shouted", "data": {"from": "node"}},
        ]
        refused = await run_client(node_client, f"http://{address}", "")
        assert refused == [{"kind": "connect_error", "data": "unauthenticated"}]

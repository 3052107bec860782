"""``POST /api/upload``: a 50 MB upload streamed to the local folder with progress events
on Socket.IO (python-socketio's AsyncClient), its SHA-256 and file row; an upload over
the limit refused mid-stream; a type sniffed from the bytes; the authorize hook.

Sessions come from the real auth routes (``accounts.signed_in``).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import socketio

from tests.integration.realtime import decl_app
from tests.integration.realtime.accounts import Account, signed_in
from tests.integration.realtime.servers import serving
from tests.mail_servers import SmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BOUNDARY = "sentinel-test-boundary"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def multipart_head(fields: dict[str, str], filename: str, content_type: str) -> bytes:
    out = b""
    for name, value in fields.items():
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    out += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    ).encode()
    return out


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


class Body:
    """A multipart body made on the fly: ``size`` bytes of file in 1 MiB chunks."""

    def __init__(self, fields: dict[str, str], size: int, first: bytes = PNG) -> None:
        self.head = multipart_head(fields, "evidence.png", "image/png")
        self.size = size
        self.first = first
        self.pulled = 0
        self.digest = hashlib.sha256()

    @property
    def length(self) -> int:
        return len(self.head) + self.size + len(TAIL)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        left = self.size
        chunk = self.first + b"\xab" * ((1 << 20) - len(self.first))
        while left > 0:
            piece = chunk[: min(left, len(chunk))]
            chunk = b"\xab" * (1 << 20)
            self.digest.update(piece)
            self.pulled += len(piece)
            left -= len(piece)
            yield piece
        yield TAIL


async def upload(address: str, body: Body, token: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=60) as client:
        return await client.post(
            f"http://{address}/api/upload?uploadId=up-1",
            content=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(body.length),
            },
        )


async def progress_client(
    address: str, token: str
) -> tuple[socketio.AsyncClient, list[tuple[str, Any]]]:
    events: list[tuple[str, Any]] = []
    client = socketio.AsyncClient()
    for name in ("upload:progress", "upload:complete", "upload:error"):
        client.on(name, lambda data, name=name: events.append((name, data)))
    ready = asyncio.Event()
    client.on("ready", lambda data: ready.set())
    await client.connect(f"http://{address}", auth={"token": token}, transports=["websocket"])
    await asyncio.wait_for(ready.wait(), 10)
    return client, events


def settings(realtime_db: str, smtp: SmtpServer, **more: str) -> dict[str, str]:
    return {"DATABASE_URL": realtime_db, **smtp.env(), **more}


async def test_fifty_megabytes_with_progress(
    realtime_db: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    app = decl_app.build(settings(realtime_db, smtp, UPLOAD_DIR=str(tmp_path)))
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        client, events = await progress_client(address, alice.session)
        body = Body({"workspaceId": "w1"}, 50 << 20)
        response = await upload(address, body, alice.session)
        assert response.status_code == 201, response.text
        file = response.json()
        assert file["size"] == 50 << 20
        assert file["contentType"] == "image/png"
        assert file["sha256"] == body.digest.hexdigest()
        assert file["evidence"] is True  # what onUploadFn returned
        await asyncio.sleep(0.5)
        await client.disconnect()
    progress = [data for name, data in events if name == "upload:progress"]
    assert len(progress) >= 3
    received = [p["received"] for p in progress]
    assert received == sorted(received) and received[-1] == 50 << 20
    assert all(p["uploadId"] == "up-1" and p["total"] == body.length for p in progress)
    assert ("upload:complete", {"uploadId": "up-1", "file": {**file, "evidence": True}}) in events
    with psycopg.connect(realtime_db) as conn:
        key, size, sha = conn.execute(
            "SELECT storage_key, size_bytes, sha256 FROM sentinel_files"
        ).fetchone()  # type: ignore[misc]
    assert size == 50 << 20 and sha == body.digest.hexdigest()
    stored = tmp_path / key
    assert stored.stat().st_size == 50 << 20
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
    assert not any((tmp_path / ".partial").iterdir())


async def test_over_the_limit_is_refused_mid_stream(
    realtime_db: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    app = decl_app.build(settings(realtime_db, smtp, UPLOAD_DIR=str(tmp_path)))
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        client, events = await progress_client(address, alice.session)
        # The workspace's quota (the hook's maxBytes) is 5 MB; the client says nothing
        # of the size up front (a chunked body), so only the stream can tell.
        body = Body({"workspaceId": "w1", "quota": str(5 << 20)}, 200 << 20)
        try:
            async with httpx.AsyncClient(timeout=60) as http:
                response = await http.post(
                    f"http://{address}/api/upload?uploadId=up-1",
                    content=body,
                    headers={
                        "Authorization": f"Bearer {alice.session}",
                        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    },
                )
            assert response.status_code == 413
            assert response.json()["error"]["code"] == "payload_too_large"
        except httpx.HTTPError:
            pass  # the server may cut the connection before the client reads the answer
        await asyncio.sleep(0.5)
        await client.disconnect()
    assert body.pulled < 50 << 20  # refused long before the 200 MB were sent
    assert any(name == "upload:error" and data["status"] == 413 for name, data in events)
    with psycopg.connect(realtime_db) as conn:
        assert conn.execute("SELECT count(*) FROM sentinel_files").fetchone() == (0,)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []


async def test_type_is_sniffed_and_membership_checked(
    realtime_db: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    app = decl_app.build(settings(realtime_db, smtp, UPLOAD_DIR=str(tmp_path)))
    async with serving(app) as address:
        alice: Account = await signed_in(address, smtp, "alice")
        html = Body({"workspaceId": "w1"}, 2000, first=b"<html><script>alert(1)</script>")
        response = await upload(address, html, alice.session)  # declared image/png, is HTML
        assert response.status_code == 415
        not_member = Body({"workspaceId": "w2"}, 1000)
        response = await upload(address, not_member, alice.session)  # no member of w2
        assert response.status_code == 403
        # Both refused before a byte was stored: nothing in the folder, partial or not.
        assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
        forged = alice.session[:-4] + "AAAA"
        response = await upload(address, Body({"workspaceId": "w1"}, 1000), forged)
        assert response.status_code == 401
        tiny = Body({"workspaceId": "w1"}, 10)  # shorter than the sniffing window
        response = await upload(address, tiny, alice.session)
        assert response.status_code == 201 and response.json()["contentType"] == "image/png"


async def test_refused_by_the_quota_hook_after_storing_leaves_no_bytes(
    realtime_db: str, smtp: SmtpServer, tmp_path: Path
) -> None:
    """onUploadFn refuses once the size is known (the workspace's total quota): the file
    was already stored whole, and is removed with the transaction's rollback."""
    app = decl_app.build(settings(realtime_db, smtp, UPLOAD_DIR=str(tmp_path)))
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        client, events = await progress_client(address, alice.session)
        fields = {"workspaceId": "w1", "totalQuota": str(3 << 20)}
        first = await upload(address, Body(fields, 2 << 20), alice.session)
        assert first.status_code == 201, first.text
        # 2 + 2 MB > 3 MB: refused after its bytes were written (past the 1 MiB buffer).
        second = await upload(address, Body(fields, 2 << 20), alice.session)
        assert second.status_code == 413, second.text
        assert "quota" in second.json()["error"]["message"]
        await asyncio.sleep(0.3)
        await client.disconnect()
    assert any(name == "upload:error" and data["status"] == 413 for name, data in events)
    with psycopg.connect(realtime_db) as conn:
        rows = conn.execute("SELECT storage_key FROM sentinel_files").fetchall()
    assert len(rows) == 1
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored == [tmp_path / rows[0][0]]  # the first file only, nothing partial

"""Uploads to S3-compatible storage (``UPLOAD_STORAGE=s3``) against a loopback S3 that
checks every request's SigV4 signature with botocore (tests/s3_stub.py): a 20 MB upload
through ``POST /api/upload`` as a multipart upload of 8 MiB parts, a small one as a single
PUT, an upload refused mid-stream aborting its multipart upload, and a wrong secret
refused by the server."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from sentinel_spec.runtime.realtime.uploads.storage import (
    PART_SIZE,
    S3Storage,
    StorageError,
    storage_from_env,
)
from tests.integration.realtime import decl_app
from tests.integration.realtime.accounts import signed_in
from tests.integration.realtime.servers import serving
from tests.integration.realtime.test_realtime_uploads import Body, progress_client, upload
from tests.mail_servers import SmtpServer
from tests.s3_stub import S3Stub

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def s3() -> Iterator[S3Stub]:
    with S3Stub() as stub:
        yield stub


async def test_a_large_upload_goes_up_in_signed_parts(
    realtime_db: str, smtp: SmtpServer, s3: S3Stub
) -> None:
    app = decl_app.build({"DATABASE_URL": realtime_db, **smtp.env(), **s3.env()})
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        client, events = await progress_client(address, alice.session)
        body = Body({"workspaceId": "w1"}, 20 << 20)
        response = await upload(address, body, alice.session)
        assert response.status_code == 201, response.text
        await asyncio.sleep(0.3)
        await client.disconnect()
    file = response.json()
    assert file["sha256"] == body.digest.hexdigest()
    assert s3.refused == []
    with psycopg.connect(realtime_db) as conn:
        storage, key = conn.execute("SELECT storage, storage_key FROM sentinel_files").fetchone()  # type: ignore[misc]
    assert storage == "s3"
    stored = s3.objects[key]
    assert len(stored) == 20 << 20 and hashlib.sha256(stored).hexdigest() == file["sha256"]
    assert s3.content_types[key] == "image/png"  # the sniffed type, set on the upload
    parts = [r for r in s3.requests if r.method == "PUT" and "partNumber" in r.query]
    assert [int(r.query["partNumber"]) for r in parts] == [1, 2, 3]
    assert [r.body_size for r in parts] == [PART_SIZE, PART_SIZE, (20 << 20) - 2 * PART_SIZE]
    assert ("upload:complete", {"uploadId": "up-1", "file": file}) in events


async def test_a_small_upload_is_one_put(realtime_db: str, smtp: SmtpServer, s3: S3Stub) -> None:
    app = decl_app.build({"DATABASE_URL": realtime_db, **smtp.env(), **s3.env()})
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        response = await upload(address, Body({"workspaceId": "w1"}, 3000), alice.session)
    assert response.status_code == 201, response.text
    assert [(r.method, r.query) for r in s3.requests] == [("PUT", {})]
    assert s3.refused == [] and len(s3.objects) == 1


async def test_refused_mid_stream_aborts_the_multipart_upload(
    realtime_db: str, smtp: SmtpServer, s3: S3Stub
) -> None:
    app = decl_app.build({"DATABASE_URL": realtime_db, **smtp.env(), **s3.env()})
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        # 10 MB quota: one 8 MiB part is stored before the limit is crossed.
        body = Body({"workspaceId": "w1", "quota": str(10 << 20)}, 30 << 20)
        try:
            response = await upload(address, body, alice.session)
            assert response.status_code == 413
        except httpx.HTTPError:
            pass  # the server may cut the connection before the client reads the answer
        for _ in range(100):  # the abort runs as the server unwinds the request
            if s3.aborted:
                break
            await asyncio.sleep(0.05)
    assert body.pulled < 30 << 20
    assert s3.objects == {} and s3.uploads == {}
    assert len(s3.aborted) == 1 and s3.refused == []
    with psycopg.connect(realtime_db) as conn:
        assert conn.execute("SELECT count(*) FROM sentinel_files").fetchone() == (0,)


@pytest.mark.parametrize("size", [3000, 12 << 20], ids=["one-put", "multipart"])
async def test_refused_by_the_quota_hook_after_storing_deletes_the_object(
    realtime_db: str, smtp: SmtpServer, s3: S3Stub, size: int
) -> None:
    """onUploadFn refuses once the object is complete in the bucket (the workspace's
    total quota): the object is deleted, the first file's stays."""
    app = decl_app.build({"DATABASE_URL": realtime_db, **smtp.env(), **s3.env()})
    fields = {"workspaceId": "w1", "totalQuota": str(size + size // 2)}
    async with serving(app) as address:
        alice = await signed_in(address, smtp, "alice")
        first = await upload(address, Body(fields, size), alice.session)
        assert first.status_code == 201, first.text
        second = await upload(address, Body(fields, size), alice.session)
        assert second.status_code == 413, second.text
    with psycopg.connect(realtime_db) as conn:
        rows = conn.execute("SELECT storage_key FROM sentinel_files").fetchall()
    assert [key for (key,) in rows] == list(s3.objects)  # the first file only
    assert len(s3.deleted) == 1 and s3.deleted[0] not in s3.objects
    assert s3.uploads == {} and s3.refused == []


async def test_a_wrong_secret_is_refused_by_s3(s3: S3Stub) -> None:
    storage = storage_from_env({**s3.env(), "S3_SECRET_ACCESS_KEY": "wrong"})
    assert isinstance(storage, S3Storage)
    writer = storage.writer("2026/12/01/x", "image/png")
    await writer.write(b"\x89PNG")
    with pytest.raises(StorageError, match="HTTP 403"):
        await writer.commit()
    assert [problem for _, problem in s3.refused] == ["SignatureDoesNotMatch"]
    assert s3.objects == {}

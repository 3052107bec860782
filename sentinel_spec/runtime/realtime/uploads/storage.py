"""Where uploaded bytes go: a local folder (default) or an S3-compatible bucket.

A ``Writer`` takes the file in chunks as they arrive and never holds more than one S3
part (8 MiB) in memory; ``commit`` makes the object visible, ``abort`` leaves nothing
behind, before the commit (a partial local file is removed, an S3 multipart upload is
aborted) or after it (the object is deleted: the upload was refused once its size was
known, or its file row was never written).

Chosen by ``UPLOAD_STORAGE`` (``local`` | ``s3``): ``UPLOAD_DIR`` (default
``uploads/``), or ``S3_ENDPOINT``, ``S3_BUCKET``, ``S3_REGION`` (``us-east-1``),
``S3_ACCESS_KEY_ID``/``S3_SECRET_ACCESS_KEY`` (else ``AWS_ACCESS_KEY_ID``/...).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx

from sentinel_spec.runtime.realtime.uploads import sigv4

log = logging.getLogger("sentinel.uploads")


class StorageConfigError(ValueError):
    """An UPLOAD_* / S3_* variable is missing or malformed; the message names it."""


class StorageError(RuntimeError):
    """The storage refused or failed a write."""


class Writer(Protocol):
    async def write(self, chunk: bytes) -> None: ...

    async def commit(self) -> None: ...

    async def abort(self) -> None:
        """Remove whatever was stored, committed or not; never raises."""


class Storage(Protocol):
    name: str

    def writer(self, key: str, content_type: str) -> Writer: ...


def new_key() -> str:
    """Never the client's file name: a date folder and a random id."""
    now = datetime.now(UTC)
    return f"{now:%Y/%m/%d}/{uuid.uuid4().hex}"


# ---------------------------------------------------------------- local folder

_FLUSH = 1 << 20


class LocalStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def writer(self, key: str, content_type: str) -> LocalWriter:
        if not re.fullmatch(r"[A-Za-z0-9/_.-]+", key) or ".." in key:
            raise StorageError(f"unsafe storage key {key!r}")
        return LocalWriter(self.root / key, self.root / ".partial" / uuid.uuid4().hex)

    def path_of(self, key: str) -> Path:
        return self.root / key


class LocalWriter:
    def __init__(self, final: Path, partial: Path) -> None:
        self.final = final
        self.partial = partial
        self._buffer = bytearray()
        self._committed = False

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) >= _FLUSH:
            await self._flush()

    async def _flush(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        await asyncio.to_thread(self._append, data)

    def _append(self, data: bytes) -> None:
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        with self.partial.open("ab") as sink:
            sink.write(data)

    async def commit(self) -> None:
        await self._flush()
        await asyncio.to_thread(self._publish)
        self._committed = True

    def _publish(self) -> None:
        if not self.partial.exists():
            self._append(b"")
        self.final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.partial, self.final)

    async def abort(self) -> None:
        self._buffer = bytearray()
        target = self.final if self._committed else self.partial
        try:
            await asyncio.to_thread(target.unlink, missing_ok=True)
        except OSError as error:
            log.warning("uploads: could not remove %s: %s", target, error)


# ---------------------------------------------------------------- S3-compatible

PART_SIZE = 8 << 20  # S3's minimum is 5 MiB for every part but the last


class S3Storage:
    name = "s3"

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        region: str,
        access_key: str,
        secret_key: str,
        part_size: int = PART_SIZE,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.host = urlsplit(self.endpoint).netloc
        self.bucket = bucket
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.part_size = part_size
        self.client = client or httpx.AsyncClient(timeout=60)

    def writer(self, key: str, content_type: str) -> S3Writer:
        return S3Writer(self, key, content_type)

    async def request(
        self,
        method: str,
        key: str,
        *,
        query: Mapping[str, str] | None = None,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        import hashlib

        path = sigv4.object_path(self.bucket, key)
        query = dict(query or {})
        signed = sigv4.sign(
            method=method,
            host=self.host,
            path=path,
            query=query,
            headers=dict(headers or {}),
            payload_sha256=hashlib.sha256(body).hexdigest(),
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=self.region,
            now=datetime.now(UTC),
        )
        url = self.endpoint + path
        if query:
            url += "?" + sigv4.canonical_query(query)
        response = await self.client.request(method, url, content=body, headers=signed)
        if response.status_code >= 300:
            raise StorageError(
                f"S3 {method} {key}: HTTP {response.status_code} {response.text[:200]}"
            )
        return response


class S3Writer:
    def __init__(self, storage: S3Storage, key: str, content_type: str) -> None:
        self.storage = storage
        self.key = key
        self.content_type = content_type
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[tuple[int, str]] = []
        self._committed = False

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        while len(self._buffer) >= self.storage.part_size:
            part = bytes(self._buffer[: self.storage.part_size])
            del self._buffer[: self.storage.part_size]
            await self._upload_part(part)

    async def _upload_part(self, data: bytes) -> None:
        if self._upload_id is None:
            response = await self.storage.request(
                "POST", self.key, query={"uploads": ""}, headers={"content-type": self.content_type}
            )
            self._upload_id = _xml_text(response.content, "UploadId")
        number = len(self._parts) + 1
        response = await self.storage.request(
            "PUT",
            self.key,
            query={"partNumber": str(number), "uploadId": self._upload_id},
            body=data,
        )
        self._parts.append((number, response.headers.get("etag", "")))

    async def commit(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        if self._upload_id is None:  # small enough for one PUT
            await self.storage.request(
                "PUT", self.key, body=data, headers={"content-type": self.content_type}
            )
            self._committed = True
            return
        if data:
            await self._upload_part(data)
        parts = "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
            for n, etag in self._parts
        )
        body = f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode()
        response = await self.storage.request(
            "POST", self.key, query={"uploadId": self._upload_id}, body=body
        )
        # S3 may answer 200 with an <Error> body when completing fails.
        if b"<Error>" in response.content:
            raise StorageError(f"S3 complete {self.key}: {response.text[:200]}")
        self._upload_id = None  # completed: nothing left to abort, an object to delete
        self._committed = True

    async def abort(self) -> None:
        self._buffer = bytearray()
        if self._committed:
            self._committed = False
            try:
                await self.storage.request("DELETE", self.key)
            except (StorageError, httpx.HTTPError) as error:
                log.warning("uploads: could not delete S3 object %s: %s", self.key, error)
            return
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            # On failure the bucket's lifecycle rule for incomplete uploads cleans up.
            with contextlib.suppress(StorageError, httpx.HTTPError):
                await self.storage.request("DELETE", self.key, query={"uploadId": upload_id})


def _xml_text(document: bytes, tag: str) -> str:
    root = ElementTree.fromstring(document)
    for element in root.iter():
        if element.tag == tag or element.tag.endswith("}" + tag):
            return element.text or ""
    raise StorageError(f"S3 answer has no <{tag}>")


# ---------------------------------------------------------------- from the environment


def storage_from_env(environ: Mapping[str, str]) -> LocalStorage | S3Storage:
    kind = environ.get("UPLOAD_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        return LocalStorage(Path(environ.get("UPLOAD_DIR", "").strip() or "uploads").resolve())
    if kind != "s3":
        raise StorageConfigError(f"UPLOAD_STORAGE must be `local` or `s3`, got {kind!r}")

    def need(*names: str) -> str:
        for name in names:
            value = environ.get(name, "").strip()
            if value:
                return value
        raise StorageConfigError(f"UPLOAD_STORAGE=s3 needs {' or '.join(names)}")

    return S3Storage(
        endpoint=need("S3_ENDPOINT"),
        bucket=need("S3_BUCKET"),
        region=environ.get("S3_REGION", "").strip() or "us-east-1",
        access_key=need("S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
        secret_key=need("S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
    )

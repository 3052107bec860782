"""``POST <app.uploads.path>``: a multipart upload streamed to storage, never held whole.

One file part (``file``) and any number of small form fields (before it, so the hook can
read them). Steps, as the bytes arrive:

1. The caller must be signed in (``auth``); a ``Content-Length`` already over the limit
   is refused with 413 before a byte is read.
2. At the file part's headers the app's ``authorize_fn(request, fields, context)`` runs:
   it raises ``HttpError`` to refuse (not a member, over quota) or returns a dict kept in
   the file row's ``attributes``; a ``"maxBytes"`` key there lowers the limit.
3. The first 512 bytes are sniffed (``sniff.py``); a type outside ``allowedTypes`` is
   refused with 415 before anything is stored. The client's Content-Type is only recorded.
4. Bytes go to the storage writer and a SHA-256 as they come; once past the limit the
   upload is refused with 413 mid-stream and the partial object removed.
5. The file row is written and ``on_upload_fn(file, context)`` runs in one transaction
   (it may still refuse, e.g. a workspace's total quota, now that the size is known);
   when that transaction does not commit, the stored object is deleted. The answer is
   201 with the file. Meanwhile ``upload:progress`` / ``upload:complete``
   / ``upload:error`` go to the uploader's Socket.IO room ``user:<id>``.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sentinel_spec.contract.declarations import UploadsDecl
from sentinel_spec.runtime.errors import HttpError, exception_response
from sentinel_spec.runtime.realtime.service import Realtime
from sentinel_spec.runtime.realtime.uploads.sniff import DEFAULT_ALLOWED, SNIFF_BYTES, sniff
from sentinel_spec.runtime.realtime.uploads.storage import Storage, Writer, new_key
from sentinel_spec.runtime.serialization import dumps

log = logging.getLogger("sentinel.uploads")

MAX_FIELDS = 50
MAX_FIELD_BYTES = 16 << 10
MULTIPART_OVERHEAD = 64 << 10  # boundaries, part headers, small fields
PROGRESS_EVERY_SECONDS = 0.1
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)


class _Events:
    """python-multipart's callbacks are synchronous: collect, then handle them async."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []
        self._field = b""
        self._value = b""

    def callbacks(self) -> dict[str, Callable[..., None]]:
        def data(kind: str) -> Callable[[bytes, int, int], None]:
            def on(buffer: bytes, start: int, end: int) -> None:
                self.items.append((kind, buffer[start:end]))

            return on

        def mark(kind: str) -> Callable[[], None]:
            return lambda: self.items.append((kind, b""))

        return {
            "on_part_begin": mark("begin"),
            "on_part_data": data("data"),
            "on_part_end": mark("end"),
            "on_header_field": data("hname"),
            "on_header_value": data("hvalue"),
            "on_header_end": mark("hend"),
            "on_headers_finished": mark("headers"),
            "on_end": mark("done"),
        }


class Progress:
    def __init__(self, realtime: Realtime, user: Any, upload_id: str, total: int | None) -> None:
        self.realtime = realtime
        self.user = user
        self.upload_id = upload_id
        self.total = total
        self._last = 0.0

    async def emit(self, event: str, data: Mapping[str, Any]) -> None:
        server = self.realtime.socket_io
        if server is None or self.user is None:
            return
        try:
            await server.emit_to_user(self.user.id, event, {"uploadId": self.upload_id, **data})
        except Exception as error:  # progress is best effort; the upload goes on
            log.warning("upload %s: could not emit %s: %s", self.upload_id, event, error)

    async def received(self, size: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY_SECONDS:
            return
        self._last = now
        percent = min(100, round(100 * size / self.total)) if self.total else None
        await self.emit(
            "upload:progress", {"received": size, "total": self.total, "percent": percent}
        )


def upload_route(
    decl: UploadsDecl, state: Any, realtime: Realtime, storage: Storage, files_table: Any
) -> Route:
    allowed = frozenset(decl.allowed_types or DEFAULT_ALLOWED)

    async def upload(request: Request) -> Response:
        user = await state.user_for(request, required=decl.auth)
        raw_id = request.query_params.get("uploadId") or request.headers.get("x-upload-id")
        upload_id = raw_id if raw_id and _UPLOAD_ID.fullmatch(raw_id) else uuid.uuid4().hex
        length = _content_length(request)
        progress = Progress(realtime, user, upload_id, length)
        try:
            return await _receive(request, user, progress, length)
        except HttpError as error:
            await progress.emit("upload:error", {"status": error.status, "message": str(error)})
            response = exception_response(error, "app.uploads")
            # The rest of the body is not wanted: close rather than read it all.
            response.headers["connection"] = "close"
            return response

    async def _receive(
        request: Request, user: Any, progress: Progress, length: int | None
    ) -> Response:
        media_type, options = parse_options_header(request.headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if media_type != b"multipart/form-data" or not boundary:
            raise HttpError(415, "send the file as multipart/form-data")
        limit = decl.max_bytes
        if length is not None and length > limit + MULTIPART_OVERHEAD:
            raise HttpError(413, f"the file is larger than {limit} bytes")

        events = _Events()
        parser = MultipartParser(boundary, events.callbacks())  # type: ignore[arg-type]
        fields: dict[str, str] = {}
        part: _Part | None = None
        header_name = bytearray()
        header_value = bytearray()
        writer: Writer | None = None
        head = bytearray()
        digest = hashlib.sha256()
        size = 0
        key = ""
        content_type = ""
        attributes: dict[str, Any] = {}
        file_part: _Part | None = None
        finished = False

        async def start_storing() -> None:
            nonlocal writer, content_type, key
            content_type = sniff(bytes(head))
            if content_type not in allowed:
                raise HttpError(415, f"files of type {content_type} are not accepted")
            key = new_key()
            writer = storage.writer(key, content_type)
            await writer.write(bytes(head))

        try:
            async for chunk in request.stream():
                if not chunk:
                    continue
                parser.write(chunk)
                items, events.items = events.items, []
                for kind, data in items:
                    if kind == "begin":
                        part = _Part()
                    elif kind == "hname":
                        header_name += data
                    elif kind == "hvalue":
                        header_value += data
                    elif kind == "hend" and part is not None:
                        part.headers[header_name.decode("latin-1").lower()] = header_value.decode(
                            "latin-1"
                        )
                        header_name, header_value = bytearray(), bytearray()
                    elif kind == "headers" and part is not None:
                        _disposition(part)
                        if part.filename is not None:
                            if file_part is not None:
                                raise HttpError(400, "send one file per upload")
                            file_part = part
                            attributes = await _authorize(request, user, fields)
                            limit = _limit(limit, attributes)
                        elif len(fields) >= MAX_FIELDS:
                            raise HttpError(400, "too many form fields")
                    elif kind == "data" and part is not None:
                        if part is not file_part:
                            part.value += data
                            if len(part.value) > MAX_FIELD_BYTES:
                                raise HttpError(413, f"form field {part.name!r} is too large")
                            continue
                        size += len(data)
                        if size > limit:
                            raise HttpError(413, f"the file is larger than {limit} bytes")
                        digest.update(data)
                        if writer is None:
                            head.extend(data)
                            if len(head) >= SNIFF_BYTES:
                                await start_storing()
                        else:
                            await writer.write(data)
                        await progress.received(size)
                    elif kind == "end" and part is not None:
                        if part is file_part:
                            if writer is None:
                                await start_storing()
                        else:
                            fields[part.name] = part.value.decode("utf-8", "replace")
                        part = None
                    elif kind == "done":
                        finished = True
            if file_part is None or writer is None:
                raise HttpError(400, "no file: send it in a multipart part with a filename")
            if not finished:
                raise HttpError(400, "the multipart body ended early")
            await writer.commit()
        except BaseException:
            if writer is not None:
                await writer.abort()
            raise

        await progress.received(size, force=True)
        declared = file_part.headers.get("content-type")
        record = {
            "id": str(uuid.uuid4()),
            "owner_id": str(user.id) if user is not None else None,
            "filename": safe_filename(file_part.filename or ""),
            "content_type": content_type,
            "declared_type": declared[:127] if declared else None,
            "size_bytes": size,
            "sha256": digest.hexdigest(),
            "storage": storage.name,
            "storage_key": key,
            "attributes": attributes or None,
        }
        try:
            async with state.unit_of_work() as scope:
                await scope.session.execute(files_table.insert().values(**record))
                file = _public(record)
                if decl.on_upload_fn is not None:
                    context = state.context(request, "app.uploads onUploadFn", {}, user, scope)
                    outcome = decl.on_upload_fn(file, context)
                    if inspect.isawaitable(outcome):
                        outcome = await outcome
                    if isinstance(outcome, dict):
                        file = {**file, **outcome}
        except BaseException:
            # Refused once the whole file was known (onUploadFn's quota check), or the
            # row was not written: the stored object must not outlive the transaction.
            await writer.abort()
            raise
        await progress.emit("upload:complete", {"file": file})
        return Response(dumps(file), status_code=201, media_type="application/json")

    async def _authorize(request: Request, user: Any, fields: dict[str, str]) -> dict[str, Any]:
        if decl.authorize_fn is None:
            return {}
        async with state.unit_of_work() as scope:
            context = state.context(request, "app.uploads authorizeFn", {}, user, scope)
            outcome = decl.authorize_fn(request, dict(fields), context)
            if inspect.isawaitable(outcome):
                outcome = await outcome
        if outcome is None:
            return {}
        if not isinstance(outcome, dict):
            raise TypeError("app.uploads authorizeFn must return a dict or None")
        return outcome

    from sentinel_spec.runtime.http.calls import guarded

    return Route(decl.path, guarded("app.uploads", upload), methods=["POST"], name="uploads")


def _content_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    return int(raw) if raw is not None and raw.isdigit() else None


def _limit(limit: int, attributes: Mapping[str, Any]) -> int:
    lowered = attributes.get("maxBytes")
    if isinstance(lowered, int) and not isinstance(lowered, bool) and lowered >= 0:
        return min(limit, lowered)
    return limit


def _disposition(part: _Part) -> None:
    _, options = parse_options_header(part.headers.get("content-disposition", ""))
    part.name = options.get(b"name", b"").decode("utf-8", "replace")
    filename = options.get(b"filename")
    part.filename = filename.decode("utf-8", "replace") if filename is not None else None


def safe_filename(name: str) -> str:
    """The last path segment, NFC, no control characters, at most 255 bytes."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    while len(name.encode()) > 255:
        name = name[:-1]
    return name or "upload"


def _public(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "filename": record["filename"],
        "contentType": record["content_type"],
        "size": record["size_bytes"],
        "sha256": record["sha256"],
        "attributes": record["attributes"],
    }

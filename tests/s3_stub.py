"""A loopback S3-compatible server that checks AWS Signature Version 4 on every request.

It speaks the parts of S3's REST API a writer uses, path-style (``/<bucket>/<key>``):
``PUT`` an object, the multipart calls (``POST ?uploads``, ``PUT ?partNumber&uploadId``,
``POST ?uploadId`` to complete, ``DELETE ?uploadId`` to abort), ``GET`` and ``DELETE``
an object (deleted keys are recorded in ``deleted``).

Signatures are recomputed with botocore's own SigV4 signer (not Sentinel's), from the
request as received: the canonical request, the scope, the signed headers and the
``x-amz-content-sha256`` against the body's real digest. A request that fails any check is
answered like S3 does (403 ``SignatureDoesNotMatch`` / 400 ``XAmzContentSHA256Mismatch``,
XML) and recorded in ``refused``.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDSENTINELTEST"
SECRET_KEY = "sentinel/test+secret/0123456789abcdefghij"
REGION = "eu-west-3"
BUCKET = "evidence"

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<day>\d{8})/(?P<region>[^/]+)/s3/"
    r"aws4_request, ?SignedHeaders=(?P<signed>[a-z0-9;-]+), ?Signature=(?P<sig>[0-9a-f]{64})"
)


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body_size: int


@dataclass
class S3Stub:
    bucket: str = BUCKET
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION
    objects: dict[str, bytes] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, dict[int, bytes]] = field(default_factory=dict)
    aborted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    refused: list[tuple[Received, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, extra = stub.handle(
                    self.command, self.path, dict(self.headers.items()), body
                )
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                if payload:
                    self.send_header("Content-Type", "application/xml")
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def env(self) -> dict[str, str]:
        """The variables that point ``UPLOAD_STORAGE=s3`` at this stub."""
        return {
            "UPLOAD_STORAGE": "s3",
            "S3_ENDPOINT": self.endpoint,
            "S3_BUCKET": self.bucket,
            "S3_REGION": self.region,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
        }

    def __enter__(self) -> S3Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ checking a request

    def signature_problem(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> str | None:
        """Why S3 would refuse this request's signature, or None when it is good."""
        lower = {k.lower(): v for k, v in headers.items()}
        found = _AUTH.fullmatch(lower.get("authorization", ""))
        if found is None:
            return "no AWS4-HMAC-SHA256 Authorization header"
        if found["key"] != self.access_key:
            return "unknown access key"
        if found["region"] != self.region:
            return f"wrong region {found['region']}"
        amz_date = lower.get("x-amz-date", "")
        if not amz_date.startswith(found["day"]):
            return "x-amz-date is not the credential scope's day"
        declared = lower.get("x-amz-content-sha256", "")
        if declared != hashlib.sha256(body).hexdigest():
            return "x-amz-content-sha256 is not the body's digest"
        signed = found["signed"].split(";")
        for needed in ("host", "x-amz-date", "x-amz-content-sha256"):
            if needed not in signed:
                return f"{needed} is not signed"
        # botocore computes what the signature must be over exactly the signed headers.
        request = AWSRequest(
            method=method,
            url=self.endpoint + target,
            headers={name: lower[name] for name in signed if name in lower},
            data=body,
        )
        request.context["timestamp"] = amz_date
        signer = S3SigV4Auth(Credentials(self.access_key, self.secret_key), "s3", self.region)
        if set(signer.headers_to_sign(request)) != set(signed):
            return "signed header list does not match the headers sent"
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if expected != found["sig"]:
            return "SignatureDoesNotMatch"
        return None

    # ------------------------------------------------------------ S3's answers

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        received = Received(method, parts.path, query, headers, len(body))
        with self.lock:
            self.requests.append(received)
        problem = self.signature_problem(method, target, headers, body)
        if problem is not None:
            with self.lock:
                self.refused.append((received, problem))
            code = "XAmzContentSHA256Mismatch" if "digest" in problem else "SignatureDoesNotMatch"
            return 400 if "digest" in problem else 403, _error(code, problem), {}
        bucket, _, key = unquote(parts.path).lstrip("/").partition("/")
        if bucket != self.bucket or not key:
            return 404, _error("NoSuchBucket", bucket), {}
        with self.lock:
            return self._answer(method, key, query, headers, body)

    def _answer(
        self, method: str, key: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        if method == "POST" and "uploads" in query:
            upload_id = uuid.uuid4().hex
            self.uploads[upload_id] = {}
            self.content_types[key] = headers.get("content-type", "")
            xml = (
                "<InitiateMultipartUploadResult xmlns="
                '"http://s3.amazonaws.com/doc/2006-03-01/">'
                f"<Bucket>{self.bucket}</Bucket><Key>{key}</Key>"
                f"<UploadId>{upload_id}</UploadId></InitiateMultipartUploadResult>"
            )
            return 200, xml.encode(), {}
        if method == "PUT" and "uploadId" in query:
            parts = self.uploads.get(query["uploadId"])
            if parts is None:
                return 404, _error("NoSuchUpload", query["uploadId"]), {}
            parts[int(query["partNumber"])] = body
            return 200, b"", {"ETag": _etag(body)}
        if method == "POST" and "uploadId" in query:
            parts = self.uploads.pop(query["uploadId"], None)
            if parts is None:
                return 404, _error("NoSuchUpload", query["uploadId"]), {}
            listed = [
                (int(n), tag)
                for n, tag in re.findall(
                    r"<PartNumber>(\d+)</PartNumber><ETag>([^<]*)</ETag>", body.decode()
                )
            ]
            if [n for n, _ in listed] != sorted(parts) or any(
                tag != _etag(parts[n]) for n, tag in listed
            ):
                return 400, _error("InvalidPart", "parts or ETags do not match"), {}
            self.objects[key] = b"".join(parts[n] for n in sorted(parts))
            return 200, b"<CompleteMultipartUploadResult/>", {}
        if method == "DELETE" and "uploadId" in query:
            self.uploads.pop(query["uploadId"], None)
            self.aborted.append(query["uploadId"])
            return 204, b"", {}
        if method == "DELETE":
            self.objects.pop(key, None)
            self.deleted.append(key)
            return 204, b"", {}
        if method == "PUT":
            self.objects[key] = body
            self.content_types[key] = headers.get("content-type", "")
            return 200, b"", {"ETag": _etag(body)}
        if method == "GET" and key in self.objects:
            return 200, self.objects[key], {}
        return 404, _error("NoSuchKey", key), {}


def _etag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def _error(code: str, message: str) -> bytes:
    return f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()

"""Sentinel's SigV4 signer against botocore's: the S3 stub recomputes every signature with
botocore (tests/s3_stub.py) and must accept what ``sigv4.sign`` produces, and refuse it
once anything signed is changed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from sentinel_spec.runtime.realtime.uploads import sigv4
from tests.s3_stub import S3Stub

NOW = datetime(2026, 12, 1, 12, 30, 5, tzinfo=UTC)


def signed(
    stub: S3Stub, method: str, key: str, query: dict[str, str], body: bytes
) -> dict[str, str]:
    return sigv4.sign(
        method=method,
        host=stub.endpoint.split("//", 1)[1],
        path=sigv4.object_path(stub.bucket, key),
        query=query,
        headers={"content-type": "image/png"},
        payload_sha256=hashlib.sha256(body).hexdigest(),
        access_key=stub.access_key,
        secret_key=stub.secret_key,
        region=stub.region,
        now=NOW,
    )


def target(stub: S3Stub, key: str, query: dict[str, str]) -> str:
    path = sigv4.object_path(stub.bucket, key)
    return path + ("?" + sigv4.canonical_query(query) if query else "")


@pytest.mark.parametrize(
    ("key", "query"),
    [
        ("2026/12/01/plain", {}),
        ("with space/ünïcode+plus=eq~tilde", {}),
        ("k", {"uploads": ""}),
        ("k", {"partNumber": "2", "uploadId": "a/b+c=="}),
    ],
)
def test_botocore_agrees_with_the_signature(key: str, query: dict[str, str]) -> None:
    stub = S3Stub()
    body = b"\x89PNG evidence"
    headers = {**signed(stub, "PUT", key, query, body), "host": stub.endpoint.split("//")[1]}
    assert stub.signature_problem("PUT", target(stub, key, query), headers, body) is None


def test_anything_changed_breaks_it() -> None:
    stub = S3Stub()
    body = b"evidence"
    headers = {**signed(stub, "PUT", "k", {}, body), "host": stub.endpoint.split("//")[1]}
    good = target(stub, "k", {})
    assert stub.signature_problem("POST", good, headers, body) == "SignatureDoesNotMatch"
    assert stub.signature_problem("PUT", good + "?x=1", headers, body) == "SignatureDoesNotMatch"
    other_type = {**headers, "content-type": "text/html"}
    assert stub.signature_problem("PUT", good, other_type, body) == "SignatureDoesNotMatch"
    assert "digest" in str(stub.signature_problem("PUT", good, headers, b"tampered"))
    wrong_secret = S3Stub(secret_key="not-the-secret")
    assert wrong_secret.signature_problem("PUT", good, headers, body) == "SignatureDoesNotMatch"

"""Loopback stand-ins for SentinelIQ's outgoing notification channels.

One threaded HTTP server on 127.0.0.1 plays every service, each under its own path and
each checking what the real one checks before answering 2xx:

- ``/slack/<hook>``: an incoming webhook: JSON with a ``text`` fallback and Block Kit
  ``blocks`` (known block types, header text plain and at most 150 characters);
- ``/discord/<id>/<token>``: a webhook: ``content`` or up to 10 ``embeds`` within
  Discord's limits; ``?wait=true`` answers 200 with the message, else 204;
- ``/teams/<hook>``: a connector webhook: a ``MessageCard`` with ``@type``/``@context``
  and a ``summary`` or ``text``; answers ``1``;
- ``/telegram/bot<token>/sendMessage``: the Bot API: the right token, a ``chat_id``, a
  ``text``; answers ``{"ok": true, "result": {...}}`` (or 401 like Telegram);
- ``/webhook/<name>``: a receiver that verifies ``X-SentinelIQ-Signature`` (HMAC-SHA256
  over ``<timestamp>.<body>`` with the shared secret) and a fresh timestamp;
- ``/push/<device>``: a Web Push service: the VAPID JWT (ES256, signed by the key in
  ``k=``, ``aud`` = this origin, ``exp`` within 24 h, a ``sub``), ``Content-Encoding:
  aes128gcm``, a ``TTL``; the body is decrypted with the device's private key and auth
  secret (http_ece), as the browser would.

Tests script failures with ``stub.fail(prefix, 500, 503, ...)`` (one status per
request that reaches that prefix) and read ``stub.received`` (every request, its
checks' verdict and decoded body).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

Verdict = tuple[str | None, Any]  # (why it is refused or None, the decoded body)
Handled = tuple[int, bytes, "Received"]
SLACK_BLOCKS = {"header", "section", "context", "actions", "divider", "image"}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    service: str
    path: str
    headers: dict[str, str]
    raw: bytes
    status: int
    problem: str | None  # why the stub refused it (None: the payload was right)
    body: Any = None  # JSON, or the decrypted push message


@dataclass
class PushDevice:
    """A browser's push subscription: the keys the browser keeps, the JSON it shares."""

    name: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, base: str) -> dict[str, Any]:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{base}/push/{self.name}",
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }


class ChannelStub:
    def __init__(self, *, webhook_secret: str = "", telegram_token: str = "") -> None:
        self.webhook_secret = webhook_secret
        self.telegram_token = telegram_token
        self.devices: dict[str, PushDevice] = {}
        self.received: list[Received] = []
        self.gone: set[str] = set()  # push devices that unsubscribed (410)
        self._failures: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer, record = stub._handle(self.path, dict(self.headers), raw)
                with stub._lock:
                    stub.received.append(record)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------ test controls

    def fail(self, prefix: str, *statuses: int) -> None:
        with self._lock:
            self._failures.setdefault(prefix, []).extend(statuses)

    def device(self, name: str) -> PushDevice:
        self.devices[name] = PushDevice(name)
        return self.devices[name]

    def of(self, service: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.service == service]

    def accepted(self, service: str) -> list[Received]:
        return [r for r in self.of(service) if r.problem is None and r.status < 300]

    # ------------------------------------------------------------ dispatch

    def _scripted(self, path: str) -> int | None:
        with self._lock:
            for prefix, statuses in self._failures.items():
                if path.startswith(prefix) and statuses:
                    return statuses.pop(0)
        return None

    def _handle(
        self, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, bytes, Received]:
        service = path.split("/")[1]
        checker = getattr(self, f"_check_{service}", None)
        body: Any = None
        problem: str | None
        if checker is None:
            problem = f"unknown service {service}"
        else:
            try:
                problem, body = checker(path, {k.lower(): v for k, v in headers.items()}, raw)
            except Exception as error:  # a malformed request is a refusal, not a crash
                problem = f"{type(error).__name__}: {error}"
        scripted = self._scripted(path)
        status, answer = self._answer(service, path, problem, scripted)
        return status, answer, Received(service, path, headers, raw, status, problem, body)

    def _answer(
        self, service: str, path: str, problem: str | None, scripted: int | None
    ) -> tuple[int, bytes]:
        if scripted is not None:
            return scripted, json.dumps({"error": "scripted failure"}).encode()
        if problem is not None:
            status = 401 if problem.startswith("unauthorized") else 400
            if service == "push" and problem.startswith("gone"):
                status = 410
            return status, json.dumps({"error": problem}).encode()
        if service == "discord":
            wait = parse_qs(urlsplit(path).query).get("wait") == ["true"]
            return (200, b'{"id": "1", "type": 0}') if wait else (204, b"")
        if service == "telegram":
            return 200, b'{"ok": true, "result": {"message_id": 1, "chat": {"id": 1}}}'
        if service == "push":
            return 201, b""
        if service == "teams":
            return 200, b"1"
        return 200, b"ok"

    # ------------------------------------------------------------ the checks

    def _json(self, headers: dict[str, str], raw: bytes) -> Any:
        if not headers.get("content-type", "").startswith("application/json"):
            raise ValueError("Content-Type is not application/json")
        return json.loads(raw)

    def _check_slack(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        body = self._json(headers, raw)
        if not isinstance(body.get("text"), str) or not body["text"]:
            return "missing_text_fallback", body
        blocks = body.get("blocks", [])
        if not isinstance(blocks, list) or len(blocks) > 50:
            return "invalid_blocks", body
        for block in blocks:
            if block.get("type") not in SLACK_BLOCKS:
                return f"invalid_blocks: type {block.get('type')}", body
            if block["type"] == "header":
                text = block.get("text", {})
                if text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= 150:
                    return "invalid_blocks: header", body
            if block["type"] == "section" and not (block.get("text") or block.get("fields")):
                return "invalid_blocks: empty section", body
            if block["type"] == "section" and len(block.get("fields", [])) > 10:
                return "invalid_blocks: too many fields", body
        return None, body

    def _check_discord(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        body = self._json(headers, raw)
        embeds = body.get("embeds", [])
        if not body.get("content") and not embeds:
            return "Cannot send an empty message", body
        if len(embeds) > 10:
            return "too many embeds", body
        for embed in embeds:
            if len(embed.get("title", "")) > 256 or len(embed.get("description", "")) > 4096:
                return "embed too long", body
            if not 0 <= int(embed.get("color", 0)) <= 0xFFFFFF:
                return "bad color", body
            for item in embed.get("fields", []):
                if not item.get("name") or not item.get("value"):
                    return "embed field needs a name and a value", body
        return None, body

    def _check_teams(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        body = self._json(headers, raw)
        if body.get("@type") != "MessageCard" or "schema.org/extensions" not in body.get(
            "@context", ""
        ):
            return "Summary or Text is required / not a MessageCard", body
        if not (body.get("summary") or body.get("text")):
            return "Summary or Text is required", body
        return None, body

    def _check_telegram(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        body = self._json(headers, raw)
        _, _, token_part, method = urlsplit(path).path.split("/", 3)
        if token_part != f"bot{self.telegram_token}":
            return "unauthorized: Unauthorized", body
        if method != "sendMessage":
            return "Not Found: method", body
        if not body.get("chat_id") or not body.get("text"):
            return "Bad Request: chat_id and text are required", body
        if body.get("parse_mode") not in (None, "HTML", "MarkdownV2"):
            return "Bad Request: parse_mode", body
        return None, body

    def _check_webhook(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        body = self._json(headers, raw)
        timestamp = headers.get("x-sentineliq-timestamp", "")
        signature = headers.get("x-sentineliq-signature", "")
        expected = (
            "v1="
            + hmac.new(
                self.webhook_secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(signature, expected):
            return "unauthorized: bad signature", body
        if abs(time.time() - int(timestamp)) > 300:
            return "unauthorized: stale timestamp", body
        if headers.get("x-sentineliq-delivery") != body.get("id"):
            return "delivery id header and body disagree", body
        return None, body

    def _check_push(self, path: str, headers: dict[str, str], raw: bytes) -> Verdict:
        name = urlsplit(path).path.split("/")[2]
        if name in self.gone:
            return "gone: unsubscribed", None
        device = self.devices.get(name)
        if device is None:
            return "gone: no such subscription", None
        problem = self._check_vapid(headers.get("authorization", ""))
        if problem:
            return problem, None
        if headers.get("content-encoding") != "aes128gcm":
            return "Content-Encoding must be aes128gcm", None
        if not headers.get("ttl", "").isdigit():
            return "missing TTL", None
        plain = http_ece.decrypt(
            raw,
            private_key=device.private_key,
            auth_secret=device.auth_secret,
            version="aes128gcm",
        )
        return None, json.loads(plain)

    def _check_vapid(self, authorization: str) -> str | None:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            return "unauthorized: not a VAPID Authorization"
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        token, key = fields.get("t", ""), fields.get("k", "")
        header_b64, claims_b64, signature_b64 = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(signature_b64)
        if json.loads(unb64url(header_b64)).get("alg") != "ES256" or len(signature) != 64:
            return "unauthorized: JWT is not ES256"
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            return "unauthorized: JWT signature does not verify with k"
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.base:
            return f"unauthorized: aud {claims.get('aud')!r} is not {self.base}"
        if not time.time() < int(claims.get("exp", 0)) <= time.time() + 24 * 3600:
            return "unauthorized: exp not within 24 hours"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            return "unauthorized: sub must be mailto: or https:"
        return None

    def __enter__(self) -> ChannelStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def channel_stub(**kwargs: Any) -> Iterator[ChannelStub]:
    with ChannelStub(**kwargs) as stub:
        yield stub

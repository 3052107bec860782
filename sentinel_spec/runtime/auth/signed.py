"""Short-lived values signed with a key derived from AUTH_SECRET_KEY (HMAC-SHA256):
the OpenID Connect flow state kept in a cookie between login and callback, and the
CSRF tokens of the auth pages' forms.

``base64url(json) "." base64url(mac)``; the JSON carries its own expiry. Signed, not
encrypted: put nothing in one that the browser holding it may not read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from sentinel_spec.runtime.auth.keys import SecretKeys


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    def __init__(
        self, keys: SecretKeys, purpose: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._keys = keys.derive_all(f"signed:{purpose}")
        self._clock = clock

    def _mac(self, key: bytes, body: str) -> str:
        return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())

    def dumps(self, value: Any, max_age: int) -> str:
        body = _b64(
            json.dumps(
                {"v": value, "exp": int(self._clock()) + max_age}, separators=(",", ":")
            ).encode()
        )
        return f"{body}.{self._mac(self._keys[0], body)}"

    def loads(self, signed: str | None) -> Any | None:
        """The value, or None when missing, tampered with, signed by another key or expired."""
        if not signed or len(signed) > 4096 or "." not in signed:
            return None
        body, _, mac = signed.rpartition(".")
        if not any(hmac.compare_digest(self._mac(key, body), mac) for key in self._keys):
            return None
        try:
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
            return None
        if payload["exp"] <= self._clock():
            return None
        return payload.get("v")

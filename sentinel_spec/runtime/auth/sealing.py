"""Secrets encrypted at rest (TOTP secrets): AES-256-GCM under a key derived from
AUTH_SECRET_KEY.

A sealed value is ``v1.<key id>.<base64url(nonce | ciphertext+tag)>``. The row it
belongs to (the user id) is authenticated as associated data, so a sealed secret
copied into another user's row does not open. A value sealed with a previous key
still opens, and ``Opened.stale`` tells the caller to store it sealed again.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sentinel_spec.runtime.auth.keys import SecretKeys, key_id

_VERSION = "v1"
_NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value that is malformed, tampered with, or sealed with an unknown key."""


@dataclass(frozen=True)
class Opened:
    plaintext: str
    stale: bool  # sealed with a previous key: seal it again


class Sealer:
    def __init__(self, keys: SecretKeys, purpose: str) -> None:
        derived = keys.derive_all(purpose)
        self._current = derived[0]
        self._by_id = {key_id(key): key for key in reversed(derived)}
        self._current_id = key_id(self._current)

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self._current).encrypt(nonce, plaintext.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{_VERSION}.{self._current_id}.{body}"

    def open(self, sealed: str, context: str) -> Opened:
        version, _, rest = sealed.partition(".")
        kid, _, body = rest.partition(".")
        if version != _VERSION or not body:
            raise SealError("not a sealed value")
        key = self._by_id.get(kid)
        if key is None:
            raise SealError(
                "sealed with a key that is neither AUTH_SECRET_KEY nor in AUTH_SECRET_KEY_PREVIOUS"
            )
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plaintext = AESGCM(key).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()
            )
        except (InvalidTag, ValueError) as error:
            raise SealError("sealed value does not open (tampered, or another row's)") from error
        return Opened(plaintext.decode(), stale=kid != self._current_id)

"""The server's auth secret: ``AUTH_SECRET_KEY``, and keys derived from it per purpose.

- Production (anything but ``SENTINEL_ENV=development``): ``AUTH_SECRET_KEY`` is
  required, at least 32 characters (``python -c "import secrets;
  print(secrets.token_urlsafe(32))"``). A missing or short key stops start-up.
- Development: when unset, a key is generated once and kept in
  ``.sentinel/auth_secret_key`` (mode 0600), so 2FA secrets survive restarts.
- Rotation: put the old key(s) in ``AUTH_SECRET_KEY_PREVIOUS`` (comma separated).
  They still open what they sealed (re-sealed with the current key on use) and
  still verify backup codes; nothing new is made with them.

Each use gets its own key through HKDF-SHA256 (``derive("totp-secret")``), so a key
that leaks from one use reveals nothing about another.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_VARIABLE = "AUTH_SECRET_KEY"
PREVIOUS_VARIABLE = "AUTH_SECRET_KEY_PREVIOUS"
MIN_KEY_LENGTH = 32
DEV_KEY_FILE = "auth_secret_key"


class SecretKeyError(ValueError):
    """AUTH_SECRET_KEY is missing or unusable; the message says what to do."""


def is_development(environ: Mapping[str, str]) -> bool:
    """``sentinel dev`` sets ``SENTINEL_ENV=development``; everything else is production."""
    return environ.get("SENTINEL_ENV", "").strip().lower() == "development"


def _derive(master: bytes, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(master)


@dataclass(frozen=True)
class SecretKeys:
    current: bytes
    previous: tuple[bytes, ...] = ()

    def derive(self, purpose: str) -> bytes:
        """The current key for ``purpose``."""
        return _derive(self.current, purpose)

    def derive_all(self, purpose: str) -> list[bytes]:
        """The current key for ``purpose`` first, then the previous keys' (rotation)."""
        return [_derive(master, purpose) for master in (self.current, *self.previous)]

    @classmethod
    def generate(cls) -> SecretKeys:
        return cls(secrets.token_urlsafe(32).encode())


def key_id(key: bytes) -> str:
    """A short public name for a derived key, stored beside what it sealed."""
    return hashlib.sha256(b"sentinel key id\0" + key).hexdigest()[:8]


def _checked(raw: str, name: str) -> bytes:
    value = raw.strip()
    if len(value) < MIN_KEY_LENGTH:
        raise SecretKeyError(
            f"{name} must be at least {MIN_KEY_LENGTH} characters long (got {len(value)}); "
            'make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return value.encode("utf-8")


def load_secret_keys(environ: Mapping[str, str], dev_dir: Path | None) -> SecretKeys:
    """The keys from ``environ``; in development, generated into ``dev_dir`` when unset."""
    previous = tuple(
        _checked(part, PREVIOUS_VARIABLE)
        for part in environ.get(PREVIOUS_VARIABLE, "").split(",")
        if part.strip()
    )
    raw = environ.get(KEY_VARIABLE, "")
    if raw.strip():
        return SecretKeys(_checked(raw, KEY_VARIABLE), previous)
    if not is_development(environ) or dev_dir is None:
        raise SecretKeyError(
            f"missing environment variable {KEY_VARIABLE} (app.auth: signs and encrypts "
            "auth secrets; at least 32 characters, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(32))"`)'
        )
    return SecretKeys(_dev_key(dev_dir), previous)


def _dev_key(dev_dir: Path) -> bytes:
    path = dev_dir / DEV_KEY_FILE
    try:
        return _checked(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        pass
    dev_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    # O_EXCL: when two dev workers race, one creates the file and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _checked(path.read_text(encoding="utf-8"), str(path))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key.encode()

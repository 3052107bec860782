"""2FA backup codes: shown once, stored as keyed digests, each usable once.

A code is 10 characters from a 32-letter alphabet without look-alikes (50 bits),
shown as ``xxxxx-xxxxx``. Unlike session tokens these are short enough to guess
offline from a stolen table, so they are stored as HMAC-SHA256 under a key derived
from AUTH_SECRET_KEY: the table alone is useless. Input is normalised (case, dashes,
spaces) before hashing, so ``ABCDE FGHIJ`` matches ``abcde-fghij``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sentinel_spec.runtime.auth.keys import SecretKeys

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1
CODE_LENGTH = 10
PURPOSE = "backup-code"


def new_codes(count: int) -> list[str]:
    """``count`` fresh codes, formatted for display."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalize(code: str) -> str:
    return "".join(c for c in code.lower() if c not in "- ")


def looks_like_backup_code(code: str) -> bool:
    value = normalize(code)
    return len(value) == CODE_LENGTH and all(c in ALPHABET for c in value)


class BackupCodeHasher:
    def __init__(self, keys: SecretKeys) -> None:
        self._keys = keys.derive_all(PURPOSE)

    def digest(self, code: str) -> str:
        """What is stored for ``code`` (made with the current key)."""
        return self._digest(self._keys[0], code)

    def candidates(self, code: str) -> list[str]:
        """Digests of ``code`` under the current and previous keys, to look a code up."""
        return [self._digest(key, code) for key in self._keys]

    @staticmethod
    def _digest(key: bytes, code: str) -> str:
        return hmac.new(key, normalize(code).encode(), hashlib.sha256).hexdigest()

"""Opaque tokens: session ids, refresh tokens, email verification and reset tokens.

A token is 32 random bytes from ``secrets`` (256 bits), URL-safe base64. Only its
SHA-256 digest is stored, so a leaked table holds nothing a client could present.
A plain digest (not a keyed HMAC) is enough here: with 256 bits of randomness no
digest can be reversed or guessed, and it keeps working when AUTH_SECRET_KEY is
rotated. Low-entropy secrets (backup codes) are keyed instead: see ``backup_codes``.

Rows are found by digest through a unique index; comparing secrets held in memory
goes through ``hmac.compare_digest`` (``same``), never ``==``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
# URL-safe base64 of 32 bytes is 43 characters; anything much longer is not ours.
MAX_TOKEN_LENGTH = 128


def new_token(nbytes: int = TOKEN_BYTES) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """The hex SHA-256 of ``token``: what the tables store and look up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def plausible_token(token: object) -> bool:
    """A string of sane length: anything else is refused before touching the database."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH


def same(a: str | bytes, b: str | bytes) -> bool:
    """Constant-time equality of two secrets (str or bytes)."""
    left = a.encode() if isinstance(a, str) else a
    right = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(left, right)

"""Link tokens (invitations, ownership transfers): 256 random bits, mailed once, kept only
as their SHA-256 digest, so a copy of the table opens nothing."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

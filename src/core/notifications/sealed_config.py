"""Provider secrets at rest: AES-256-GCM with the runtime's ``Sealer``, under a key
derived from ``NOTIFICATIONS_SECRET_KEY`` (or ``AUTH_SECRET_KEY``). The provider's id is
the associated data, so a sealed config copied into another workspace's row does not
open."""

from __future__ import annotations

import json
from typing import Any

from sentinel_spec.runtime import HttpError
from sentinel_spec.runtime.auth.keys import MIN_KEY_LENGTH, SecretKeys
from sentinel_spec.runtime.auth.sealing import Sealer
from src.core.notifications.settings import current

PURPOSE = "notification-provider-secrets"


def _sealer() -> Sealer:
    key = current().secret_key.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise HttpError(503, "notification providers need NOTIFICATIONS_SECRET_KEY (32+ chars)")
    return Sealer(SecretKeys(key.encode()), PURPOSE)


def seal(provider_id: str, secret: dict[str, Any]) -> str:
    return _sealer().seal(json.dumps(secret, sort_keys=True), provider_id)


def open_sealed(provider_id: str, sealed: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_sealer().open(sealed, provider_id).plaintext)
    return value

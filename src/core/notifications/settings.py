"""Settings of the notification channels, read from the process environment.

| variable | meaning |
|---|---|
| ``SENTINEL_ENV`` | ``development`` / ``test`` allow http and private-network targets |
| ``NOTIFICATIONS_SECRET_KEY`` | seals provider secrets (default: ``AUTH_SECRET_KEY``) |
| ``VAPID_PRIVATE_KEY`` / ``VAPID_PUBLIC_KEY`` | Web Push application server keys |
| ``VAPID_SUBJECT`` | ``mailto:`` or https contact sent in the VAPID JWT |
| ``TELEGRAM_API_URL`` | the Bot API base (default ``https://api.telegram.org``) |
| ``APP_URL`` | links in emails and chat messages |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

LOCAL_ENVIRONMENTS = ("development", "dev", "test")


@dataclass(frozen=True)
class NotificationSettings:
    environment: str
    secret_key: str
    vapid_private_key: str
    vapid_public_key: str
    vapid_subject: str
    telegram_api_url: str
    app_url: str

    @property
    def is_local(self) -> bool:
        """Development and tests: loopback webhooks over http are allowed."""
        return self.environment in LOCAL_ENVIRONMENTS


def current() -> NotificationSettings:
    env = os.environ
    return NotificationSettings(
        environment=env.get("SENTINEL_ENV", "production").strip().lower(),
        secret_key=env.get("NOTIFICATIONS_SECRET_KEY") or env.get("AUTH_SECRET_KEY", ""),
        vapid_private_key=env.get("VAPID_PRIVATE_KEY", ""),
        vapid_public_key=env.get("VAPID_PUBLIC_KEY", ""),
        vapid_subject=env.get("VAPID_SUBJECT", "mailto:security@sentineliq.dev"),
        telegram_api_url=env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
        app_url=env.get("APP_URL", "http://localhost:3001").rstrip("/"),
    )

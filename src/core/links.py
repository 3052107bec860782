"""Links in emails point at the app's public origin (``APP_URL``, as auth's own mails)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode


def app_url(context: Any) -> str:
    request = getattr(context, "request", None)
    state = request.app.state.sentinel if request is not None else None
    authenticator = getattr(getattr(state, "services", None), "authenticator", None)
    config = getattr(getattr(authenticator, "service", None), "config", None)
    url = getattr(config, "app_url", None)
    if not url:
        raise RuntimeError("links need a request of an app with app.auth (APP_URL)")
    return str(url).rstrip("/")


def app_link(context: Any, path: str, **params: str) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{app_url(context)}{path}{query}"

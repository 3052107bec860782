"""The framework's auth service (sentinel_spec/runtime/auth/service.py) of a request: its
2FA store, sessions and refresh tokens are the only ones; the platform adds none."""

from __future__ import annotations

from typing import Any


def auth_service(context: Any) -> Any:
    request = getattr(context, "request", None)
    state = request.app.state.sentinel if request is not None else None
    authenticator = getattr(getattr(state, "services", None), "authenticator", None)
    service = getattr(authenticator, "service", None)
    if service is None:
        raise RuntimeError("two-factor operations need a request of an app with app.auth")
    return service

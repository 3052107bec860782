"""The one public module for user code: ``from sentinel_spec.runtime import HttpError, render``.

Everything a function in ``src/`` needs is here (loaded on first use, so importing this
module pulls in nothing heavy): errors to raise, ``render`` for pages, ``EmailMessage``
for ``context.email.send_batch``, the ``Context`` type to annotate the last parameter
with, auth's guards and helpers (``require_role``, ``current_session``, ``auth_page``,
``set_password`` for seeds; docs/auth.md), ``client_ip(request)``, ``bind_workspace(id)``
and Sentry's ``capture_exception`` / ``capture_message``. Named rate limits are ``await
context.rate_limit(name)``. The runtime's own layout is in
``docs/architecture.md``; its internals are not an API.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentinel_spec.runtime.auth.hooks import OAuthInfo, ProviderId
    from sentinel_spec.runtime.auth.public import auth_page, current_session
    from sentinel_spec.runtime.auth.seeding import set_password
    from sentinel_spec.runtime.auth.workspaces import (
        check_workspace_access,
        require_access,
        require_role,
    )
    from sentinel_spec.runtime.context import (
        Context,
        EntityNotListed,
        FeatureNotAvailable,
        NoDatabase,
    )
    from sentinel_spec.runtime.email.message import EmailMessage, InvalidEmail
    from sentinel_spec.runtime.errors import HttpError, ServiceUnavailable
    from sentinel_spec.runtime.http.pages import Rendered, render
    from sentinel_spec.runtime.jobs.feature import jobs_queue, jobs_state
    from sentinel_spec.runtime.middleware.proxies import client_ip
    from sentinel_spec.runtime.observability.context import bind_workspace
    from sentinel_spec.runtime.observability.sentry import capture_exception, capture_message
    from sentinel_spec.runtime.ratelimit.enforce import RateLimited

__all__ = [
    "Context",
    "EmailMessage",
    "EntityNotListed",
    "FeatureNotAvailable",
    "HttpError",
    "InvalidEmail",
    "NoDatabase",
    "OAuthInfo",
    "ProviderId",
    "RateLimited",
    "Rendered",
    "ServiceUnavailable",
    "auth_page",
    "bind_workspace",
    "capture_exception",
    "capture_message",
    "check_workspace_access",
    "client_ip",
    "current_session",
    "jobs_queue",
    "jobs_state",
    "render",
    "require_access",
    "require_role",
    "set_password",
]

_HOMES = {
    "OAuthInfo": "sentinel_spec.runtime.auth.hooks",
    "ProviderId": "sentinel_spec.runtime.auth.hooks",
    "auth_page": "sentinel_spec.runtime.auth.public",
    "current_session": "sentinel_spec.runtime.auth.public",
    "set_password": "sentinel_spec.runtime.auth.seeding",
    "check_workspace_access": "sentinel_spec.runtime.auth.workspaces",
    "require_access": "sentinel_spec.runtime.auth.workspaces",
    "require_role": "sentinel_spec.runtime.auth.workspaces",
    "Context": "sentinel_spec.runtime.context",
    "EntityNotListed": "sentinel_spec.runtime.context",
    "FeatureNotAvailable": "sentinel_spec.runtime.context",
    "NoDatabase": "sentinel_spec.runtime.context",
    "EmailMessage": "sentinel_spec.runtime.email.message",
    "InvalidEmail": "sentinel_spec.runtime.email.message",
    "HttpError": "sentinel_spec.runtime.errors",
    "ServiceUnavailable": "sentinel_spec.runtime.errors",
    "Rendered": "sentinel_spec.runtime.http.pages",
    "render": "sentinel_spec.runtime.http.pages",
    "jobs_queue": "sentinel_spec.runtime.jobs.feature",
    "jobs_state": "sentinel_spec.runtime.jobs.feature",
    "RateLimited": "sentinel_spec.runtime.ratelimit.enforce",
    "client_ip": "sentinel_spec.runtime.middleware.proxies",
    "bind_workspace": "sentinel_spec.runtime.observability.context",
    "capture_exception": "sentinel_spec.runtime.observability.sentry",
    "capture_message": "sentinel_spec.runtime.observability.sentry",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)

"""Sign-in: email/password, Google, 2FA, sessions (RUNTIME.md, Auth; docs/auth.md).

``install`` (when the spec declares ``app.auth``) builds the feature from
``AppDecl.auth`` and the environment, fills ``builder.services.authenticator`` (a
``SessionAuthenticator``: bearer header, cookie, or ``?token=`` on websockets) and
mounts the auth rows of the route plan (``contract.routes.auth_routes``).

One concept a module: ``passwords`` (Argon2id), ``policy``, ``tokens``, ``keys`` and
``sealing`` (AUTH_SECRET_KEY, secrets at rest), ``totp``, ``backup_codes``, ``qr``,
``signed``, ``tables``; the stores ``sessions``, ``session_cache``, ``refresh``,
``one_time``, ``two_factor``, ``identities``, ``users``; the flows ``service``,
``email_password``, ``oidc`` + ``google``; the edges ``authenticator``, ``routes``,
``pages``, ``limits``, ``hooks``, ``emails``, ``workspaces``; ``feature`` wires them.

Cheap to import: everything loads inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    auth = builder.decl.auth
    if auth is None:
        return
    if auth.user_model is None or builder.decl.metadata is None:
        # Only hand-made declarations get here (the analyzer requires an entity).
        builder.not_served("auth", "app.auth has no userEntity model; run `sentinel build`")
        return
    from sentinel_spec.runtime.auth.feature import install_auth

    install_auth(builder)

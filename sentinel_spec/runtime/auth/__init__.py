"""Sign-in: email/password, Google, 2FA, sessions (RUNTIME.md, Auth).

Not served yet: ``contract/features.py`` marks it so, and ``sentinel check``/``dev``/
``start`` say so for every declaration of it. When it lands, its ``install``:

Fills ``builder.services.authenticator`` (an ``Authenticator``, ``runtime/state.py``) and
mounts the rows of ``contract.routes.auth_routes`` (``builder.add_routes``). Typed settings:
``AppDecl.auth`` (``contract.declarations.AuthDecl``). Flip ``auth`` in
``contract/features.py`` to True in the commit that lands it.

Keep this module cheap to import: load heavy libraries inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Nothing to install yet (see the module docstring)."""

"""``rateLimit`` on operations/apis and ``app.server.rateLimit``.

Not served yet: ``contract/features.py`` marks it so, and ``sentinel check``/``dev``/
``start`` say so for every declaration of it. When it lands, its ``install``:

Fills ``builder.services.rate_limiter`` (a ``RateLimiter``) and adds its middleware with
``builder.add_middleware("rateLimit", ..., after="bodyLimit")``. Flip ``rateLimit`` in
``contract/features.py`` when it lands.

Keep this module cheap to import: load heavy libraries inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Nothing to install yet (see the module docstring)."""

"""``websocket`` declarations, ``app.webSocket`` (Socket.IO) and ``context.realtime``.

Not served yet: ``contract/features.py`` marks it so, and ``sentinel check``/``dev``/
``start`` say so for every declaration of it. When it lands, its ``install``:

Fills ``builder.services.publisher`` (a ``PerCall[Publisher]``; publishes hang off the
unit of work's ``on_commit``) and mounts the ``websocket`` rows of ``contract.routes.plan``.
Flip ``websockets`` / ``socketio`` in ``contract/features.py`` when they land.

Keep this module cheap to import: load heavy libraries inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Nothing to install yet (see the module docstring)."""

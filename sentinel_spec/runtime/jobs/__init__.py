"""Background jobs and cron schedules (RUNTIME.md, Jobs).

Not served yet: ``contract/features.py`` marks it so, and ``sentinel check``/``dev``/
``start`` say so for every declaration of it. When it lands, its ``install``:

Fills ``builder.services.jobs`` (a ``PerCall[JobQueue]``: ``bind(scope)`` gives the
``context.jobs`` of one call, whose submits join that call's transaction) and registers its
start-up/shutdown hooks and a ``jobs`` health check. Declarations: ``AppDecl.jobs``
(``contract.declarations.Job``, options ``contract.jobs.JobOptions``); cron expressions
are checked by ``runtime/jobs/cron.py``, which the compiler uses too. Flip ``jobs`` and
``cron`` in ``contract/features.py`` when they land.

Keep this module cheap to import: load heavy libraries inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Nothing to install yet (see the module docstring)."""

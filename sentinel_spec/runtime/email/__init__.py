"""``app.emailSender``: SMTP, SendGrid, Console (RUNTIME.md, Email).

Not served yet: ``contract/features.py`` marks it so, and ``sentinel check``/``dev``/
``start`` say so for every declaration of it. When it lands, its ``install``:

Fills ``builder.services.mailer`` (a ``PerCall[Mailer]``; sends without jobs hang off the
unit of work's ``on_commit``). Settings: ``AppDecl.email_sender``
(``contract.declarations.EmailSenderDecl``). Flip ``email`` in ``contract/features.py``.

Keep this module cheap to import: load heavy libraries inside ``install``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder


def install(builder: AppBuilder) -> None:
    """Nothing to install yet (see the module docstring)."""

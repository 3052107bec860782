"""Two-factor operations over the framework's TOTP store (auth_two_factor and
auth_backup_codes tables; docs/auth.md, Two-factor authentication): set up a pending
secret, confirm it with a code (backup codes shown once), turn it off with the password
and a code, replace the backup codes with a code. Codes are limited per account by the
framework (10 per 15 minutes); each step is audited."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import HttpError
from src.core.audit.record import audit
from src.core.auth.framework import auth_service
from src.core.workspace.access import require_user


async def _audit(context: Any, action: str, metadata: dict[str, Any] | None = None) -> None:
    await audit(
        context,
        workspace_id=None,
        action=action,
        resource="user",
        resource_id=context.user.id,
        metadata=metadata,
    )


async def start_setup(context: Any) -> dict[str, str]:
    """A new pending secret with its otpauth URL and QR code (409 when already on)."""
    user = require_user(context)
    info = await auth_service(context).setup_two_factor(context.session, user)
    await _audit(context, "TWO_FACTOR_SETUP_STARTED")
    return dict(info.public())


async def confirm(context: Any, code: str) -> dict[str, Any]:
    user = require_user(context)
    try:
        codes = await auth_service(context).enable_two_factor(context.session, user, code)
    except HttpError as error:
        if error.status != 400:
            raise
        # A wrong code is a refusal (as for disable), not a malformed request.
        raise HttpError(403, error.message, {"reason": "code"}) from None
    await _audit(context, "TWO_FACTOR_ENABLED")
    return {"enabled": True, "backupCodes": codes}


async def disable(context: Any, password: str | None, code: str) -> dict[str, Any]:
    user = require_user(context)
    await auth_service(context).disable_two_factor(context.session, user, password, code)
    await _audit(context, "TWO_FACTOR_DISABLED")
    return {"enabled": False}


async def regenerate_backup_codes(context: Any, code: str) -> dict[str, Any]:
    user = require_user(context)
    codes = await auth_service(context).new_backup_codes(context.session, user, code)
    await _audit(context, "BACKUP_CODES_REGENERATED", {"count": len(codes)})
    return {"backupCodes": codes}

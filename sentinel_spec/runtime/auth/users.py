"""The app's ``userEntity`` as auth sees it: loading, the address field, mirrored flags.

Mirrored fields are optional columns auth keeps up to date when the entity declares
them with that name (Wasp's first auth had them on the user): ``isEmailVerified``
(Boolean), ``twoFactorEnabled`` (Boolean) and ``lastLoginAt`` (DateTime).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

EMAIL_VERIFIED = "isEmailVerified"
TWO_FACTOR_ENABLED = "twoFactorEnabled"
LAST_LOGIN_AT = "lastLoginAt"

_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]{2,}$")
MAX_EMAIL_LENGTH = 254


def normalize_email(value: str) -> str:
    """Trimmed and lowercased: one account per mailbox whatever the case typed."""
    return value.strip().lower()


def email_problem(value: object) -> str | None:
    """Why ``value`` is not a usable address, or None."""
    if not isinstance(value, str) or not value.strip():
        return "Email is required"
    email = normalize_email(value)
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        return "Email is not a valid address"
    # And one the mailer can send to: an address it refuses would fail the signup after
    # its user row was made (a 500), and its owner could never verify it.
    from sentinel_spec.runtime.email.message import InvalidEmail, check_addr_spec

    try:
        check_addr_spec(email)
    except InvalidEmail:
        return "Email is not a valid address"
    return None


def columns(model: type) -> set[str]:
    table = getattr(model, "__table__", None)
    if table is None:
        return set()
    mapper: Any = sa.inspect(model)
    return {str(attribute.key) for attribute in mapper.column_attrs}


class Users:
    def __init__(self, model: type) -> None:
        self.model = model
        self._columns = columns(model)
        self.has_email = "email" in self._columns

    async def get(self, db: AsyncSession, user_id: Any) -> Any | None:
        return await db.get(self.model, user_id)

    async def by_email(self, db: AsyncSession, email: str) -> Any | None:
        if not self.has_email:
            return None
        column: Any = getattr(self.model, "email")  # noqa: B009 - a mapped attribute
        return (
            await db.execute(sa.select(self.model).where(sa.func.lower(column) == email))
        ).scalar_one_or_none()

    def new(self, fields: dict[str, Any], email: str | None) -> Any:
        unknown = sorted(set(fields) - self._columns)
        if unknown:
            raise TypeError(
                f"userSignupFields gave {', '.join(unknown)}, which the user entity "
                f"{self.model.__name__} has no field for"
            )
        values = dict(fields)
        if email is not None and self.has_email:
            values["email"] = email
        return self.model(**values)

    def mirror(self, user: Any, field: str, value: Any) -> None:
        """Set a mirrored field when the entity declares it."""
        if field in self._columns:
            setattr(user, field, value)

    async def save_mirror(self, db: AsyncSession, user: Any, field: str, value: Any) -> None:
        """``mirror``, and the same value written to the row: ``user`` may be the session
        check's cached copy, which no session tracks (setting the attribute alone was
        lost, and the app's twoFactorEnabled stayed false)."""
        if field not in self._columns:
            return
        setattr(user, field, value)
        primary: Any = next(iter(sa.inspect(self.model).primary_key))
        await db.execute(
            sa.update(self.model)
            .where(primary == getattr(user, primary.key))
            .values({field: value})
            .execution_options(synchronize_session=False)
        )

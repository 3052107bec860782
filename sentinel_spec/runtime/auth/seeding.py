"""``set_password(session, user, password)``: an email/password sign-in for a user made
outside the signup route (a seed's demo account, an admin script).

Signup is the only route that creates email identities, so a user a seed inserts has no
``auth_identities`` row and cannot log in. This gives it one: the address normalised as
signup does, the password hashed with the app's Argon2 parameters (``AUTH_ARGON2_*``;
login rehashes it if they change), verified unless ``verified=False`` (then the user
must follow a verification mail first). Called again it replaces the password. The
password policy is not applied: the caller is trusted code, not a visitor.
Docs: docs/auth.md, "Seeding users".
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from sentinel_spec.runtime.auth.identities import EMAIL, Identities
from sentinel_spec.runtime.auth.passwords import Argon2Params, PasswordHasher
from sentinel_spec.runtime.auth.tables import auth_tables_of
from sentinel_spec.runtime.auth.users import EMAIL_VERIFIED, Users, email_problem, normalize_email


async def set_password(session: Any, user: Any, password: str, *, verified: bool = True) -> None:
    """Let ``user`` (a row of the app's ``userEntity``) log in with its email and
    ``password``, in ``session``'s transaction (an ``AsyncSession``: a seed's)."""
    model = type(user)
    table = getattr(model, "__table__", None)
    if table is None:
        raise TypeError(f"set_password takes a user entity row, got {model.__name__}")
    problem = email_problem(getattr(user, "email", None))
    if problem is not None:
        raise ValueError(f"set_password: {problem} ({getattr(user, 'email', None)!r})")
    if not isinstance(password, str) or not password:
        raise ValueError("set_password: the password is empty")
    identities = Identities(auth_tables_of(table.metadata, table))
    users = Users(model)
    if getattr(user, "id", None) is None:
        await session.flush()  # the id comes from the database
    hasher = PasswordHasher(Argon2Params.from_env(os.environ))
    digest = await asyncio.to_thread(hasher.hash, password)
    address = normalize_email(user.email)
    now = datetime.now(UTC) if verified else None
    found = await identities.find(session, EMAIL, address)
    if found is None:
        await identities.create(
            session, user.id, EMAIL, address, password_hash=digest, verified_at=now
        )
    else:
        if found.user_id != user.id:
            raise ValueError(f"set_password: {address} already signs in as another user")
        values: dict[str, Any] = {"password_hash": digest}
        if verified and found.verified_at is None:
            values["verified_at"] = now
        t = identities.table
        await session.execute(sa.update(t).where(t.c.id == found.id).values(**values))
    if verified:
        users.mirror(user, EMAIL_VERIFIED, True)

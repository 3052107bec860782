"""``set_password`` (for seeds): a user inserted directly, as ``sentinel db seed`` does,
can then log in through the real route; called again it replaces the password; an
address another user signs in with is refused."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from sentinel_spec.runtime import set_password
from tests.integration.auth.harness import PASSWORD, AuthApp


async def seed(app: AuthApp, email: str, password: str, **kwargs: bool) -> None:
    """What a seed does: its own session, a user row, then the helper; one commit."""
    user_model = app.module.APP.auth.user_model
    engine = create_async_engine(app.database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            user = user_model(email=email)
            session.add(user)
            await set_password(session, user, password, **kwargs)
    finally:
        await engine.dispose()


async def test_a_seeded_user_signs_in(auth_app: AuthApp) -> None:
    await seed(auth_app, "Demo@Example.com", "Demo-password-1")
    client = auth_app.client()
    login = await auth_app.login(client, "demo@example.com", "Demo-password-1")
    assert login.status_code == 200, login.text
    assert login.json()["user"]["isEmailVerified"] is True
    wrong = await auth_app.login(client, "demo@example.com", "Not-the-password-1")
    assert wrong.status_code == 401
    (row,) = await auth_app.rows(
        "SELECT password_hash, verified_at FROM auth_identities WHERE provider = 'email'"
    )
    assert row[0].startswith("$argon2id$") and "Demo-password" not in row[0]
    assert row[1] is not None


async def test_setting_it_again_replaces_the_password(auth_app: AuthApp) -> None:
    user_model = auth_app.module.APP.auth.user_model
    await seed(auth_app, "again@example.com", "First-password-1")
    engine = create_async_engine(auth_app.database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            from sqlalchemy import select

            user = await session.scalar(
                select(user_model).where(user_model.email == "again@example.com")
            )
            await set_password(session, user, "Second-password-2")
    finally:
        await engine.dispose()
    client = auth_app.client()
    assert (
        await auth_app.login(client, "again@example.com", "First-password-1")
    ).status_code == 401
    assert (
        await auth_app.login(client, "again@example.com", "Second-password-2")
    ).status_code == 200


async def test_unverified_needs_the_mail_and_taken_addresses_are_refused(
    auth_app: AuthApp,
) -> None:
    await seed(auth_app, "later@example.com", "Later-password-1", verified=False)
    refused = await auth_app.login(auth_app.client(), "later@example.com", "Later-password-1")
    assert refused.status_code in (401, 403) and refused.json()["error"]
    # A user signed up with an address, then changed it: the address still signs them in,
    # so a seeded user given that address may not take it over.
    await auth_app.signed_up_and_verified(auth_app.client(), "taken@example.com", PASSWORD)
    await auth_app.execute(
        """UPDATE "User" SET email = 'moved@example.com' WHERE email = 'taken@example.com'"""
    )
    with pytest.raises(ValueError, match="another user"):
        await seed(auth_app, "taken@example.com", "Other-password-1")
    with pytest.raises(ValueError, match="not a valid address"):
        await seed(auth_app, "no-at-sign", "Other-password-1")

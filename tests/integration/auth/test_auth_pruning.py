"""Expired sessions, refresh tokens and verification/reset tokens are deleted by the auth
feature's timer (runtime/auth/pruning.py), one instance at a time; what is still live,
and rotated refresh tokens that reuse detection needs, stay."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.integration.auth.harness import AuthApp

DAY_AGO = "now() - interval '2 days'"


async def counts(app: AuthApp) -> dict[str, int]:
    found = {}
    for table in ("auth_sessions", "auth_refresh_tokens", "auth_one_time_tokens"):
        (row,) = await app.rows(f"SELECT count(*) FROM {table}")
        found[table] = int(row[0])
    return found


async def test_the_timer_prunes_what_ended_and_keeps_the_rest(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_PRUNE_EVERY="0.3", AUTH_PRUNE_KEEP="86400") as app:
        # Three signed-up users: each has a used verification token and a session with
        # a refresh token; one more login gives a fourth session.
        logins = [await app.session_for(f"prune{i}@example.com") for i in range(3)]
        live = logins[2]
        refreshed = await app.client().post(
            "/auth/refresh", json={"refreshToken": live["refreshToken"]}
        )
        assert refreshed.status_code == 200, refreshed.text  # live's token is now rotated
        before = await counts(app)
        assert before == {"auth_sessions": 4, "auth_refresh_tokens": 4, "auth_one_time_tokens": 3}

        # Ended two days ago: one session expired, one revoked; their refresh tokens too.
        sid0, sid1 = logins[0]["sessionId"], logins[1]["sessionId"]
        ids = {row[0] for row in await app.rows("SELECT id FROM auth_sessions")}
        await app.execute(
            f"UPDATE auth_sessions SET expires_at = {DAY_AGO} "
            "WHERE user_id = (SELECT id FROM \"User\" WHERE email = 'prune0@example.com')"
        )
        await app.execute(
            f"UPDATE auth_sessions SET revoked_at = {DAY_AGO} "
            "WHERE user_id = (SELECT id FROM \"User\" WHERE email = 'prune1@example.com')"
        )
        await app.execute(
            f"UPDATE auth_refresh_tokens SET expires_at = {DAY_AGO} WHERE user_id IN "
            "(SELECT id FROM \"User\" WHERE email IN ('prune0@example.com', 'prune1@example.com'))"
        )
        # The verification tokens were used just now: kept for a day, then gone.
        await app.execute(
            f"UPDATE auth_one_time_tokens SET used_at = {DAY_AGO} WHERE user_id IN "
            "(SELECT id FROM \"User\" WHERE email <> 'prune2@example.com')"
        )
        # A fresh reset request: an unused, unexpired token that must stay.
        client = app.client()
        asked = await client.post(
            "/auth/email/request-password-reset", json={"email": "prune2@example.com"}
        )
        assert asked.status_code == 200
        await app.mails_to("prune2@example.com", 2)

        deadline = asyncio.get_running_loop().time() + 10
        while (await counts(app))["auth_sessions"] != 2:
            assert asyncio.get_running_loop().time() < deadline, await counts(app)
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # another round or two: nothing more goes
        after = await counts(app)
        assert after == {"auth_sessions": 2, "auth_refresh_tokens": 2, "auth_one_time_tokens": 2}
        left = {row[0] for row in await app.rows("SELECT id FROM auth_sessions")}
        assert len(left) == 2 and left < ids
        # The live user still signs in with the refreshed session, and the rotated token
        # is still known: presenting it again is reuse, which revokes the family.
        current = refreshed.json()["sessionId"]
        me = await client.get("/auth/me", headers={"Authorization": f"Bearer {current}"})
        assert me.status_code == 200
        reused = await client.post("/auth/refresh", json={"refreshToken": live["refreshToken"]})
        assert reused.status_code == 401
        (revoked,) = await app.rows(
            "SELECT count(*) FROM auth_sessions WHERE revoked_at IS NOT NULL"
        )
        assert revoked[0] >= 1
        for gone in (sid0, sid1):
            answer = await client.get("/auth/me", headers={"Authorization": f"Bearer {gone}"})
            assert answer.status_code == 401


async def test_one_instance_prunes_at_a_time(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_PRUNE_EVERY="0") as app:  # the timer is off
        pruner = app.app.state.sentinel.services.authenticator.service.pruner
        assert pruner is not None and pruner._task is None
        engine = app._engine()
        try:
            async with engine.begin() as conn:  # another instance is in its round
                await conn.exec_driver_sql(
                    "SELECT pg_advisory_xact_lock(hashtext('sentinel.auth.prune'))"
                )
                assert await pruner.run_once() is None
            pruned = await pruner.run_once()
            assert pruned is not None and pruned.sessions == 0
        finally:
            await engine.dispose()

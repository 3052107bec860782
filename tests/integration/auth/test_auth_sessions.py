"""Password reset, refresh-token rotation and reuse detection, session listing and ending."""

from __future__ import annotations

import logging

import pytest

from tests.integration.auth.harness import PASSWORD, AuthApp


async def test_reset_password_ends_every_session(auth_app: AuthApp) -> None:
    first = await auth_app.session_for("reset@example.com")
    second = await auth_app.login(auth_app.client(), "reset@example.com")
    assert second.status_code == 200
    client = auth_app.client()

    asked = await client.post(
        "/auth/email/request-password-reset", json={"email": "reset@example.com"}
    )
    assert asked.status_code == 200 and asked.json() == {}
    # getEmailContentFn wrote this mail; the link goes to the app's clientRoute.
    link = await auth_app.last_link("reset@example.com", "/reset", 2)
    [_, mail] = await auth_app.mails_to("reset@example.com", 2)
    assert mail["Subject"] == "Your AuthTest reset link"
    page = await client.get(link.removeprefix("https://testserver"))
    assert page.status_code == 200 and 'name="password"' in page.text

    token = auth_app.token_of(link)
    weak = await client.post(
        "/auth/email/reset-password", json={"token": token, "password": "weak"}
    )
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "validation_error"
    done = await client.post(
        "/auth/email/reset-password", json={"token": token, "password": "Brand-new-pass-2"}
    )
    assert done.status_code == 200, done.text
    again = await client.post(
        "/auth/email/reset-password", json={"token": token, "password": "Other-new-pass-3"}
    )
    assert again.status_code == 400  # used

    for session in (first["sessionId"], second.json()["sessionId"]):
        me = await auth_app.client().get("/auth/me", headers={"Authorization": f"Bearer {session}"})
        assert me.status_code == 401
    refreshed = await client.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert refreshed.status_code == 401
    assert (await auth_app.login(client, "reset@example.com")).status_code == 401
    assert (
        await auth_app.login(client, "reset@example.com", "Brand-new-pass-2")
    ).status_code == 200


async def test_reset_request_answers_the_same_for_unknown_addresses(auth_app: AuthApp) -> None:
    client = auth_app.client()
    known_email = "known-reset@example.com"
    await auth_app.signed_up_and_verified(client, known_email)
    known = await client.post("/auth/email/request-password-reset", json={"email": known_email})
    unknown = await client.post(
        "/auth/email/request-password-reset", json={"email": "nobody@example.com"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json() == {}
    await auth_app.mails_to(known_email, 2)
    assert not any("nobody@example.com" in r.rcpt_tos for r in auth_app.smtp.inbox.received)


async def test_expired_tokens_are_refused(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.sign_up(client, "late@example.com")
    link = await auth_app.last_link("late@example.com", "/verify")
    await auth_app.execute(
        "UPDATE auth_one_time_tokens SET expires_at = now() - interval '1 second'"
    )
    late = await client.post("/auth/email/verify-email", json={"token": auth_app.token_of(link)})
    assert late.status_code == 400
    for bad in ("", "x" * 500, None, 42):
        answer = await client.post("/auth/email/verify-email", json={"token": bad})
        assert answer.status_code == 400


async def test_refresh_rotates_and_reuse_revokes_the_family(
    auth_app: AuthApp, caplog: pytest.LogCaptureFixture
) -> None:
    body = await auth_app.session_for("rotate@example.com")
    other_device = (await auth_app.login(auth_app.client(), "rotate@example.com")).json()
    client = auth_app.client()
    first = await client.post("/auth/refresh", json={"refreshToken": body["refreshToken"]})
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refreshToken"] != body["refreshToken"]
    assert rotated["sessionId"] != body["sessionId"]
    assert "sentinel_session=" in first.headers["set-cookie"]
    # The family's old session was replaced by the new one.
    old = await auth_app.client().get(
        "/auth/me", headers={"Authorization": f"Bearer {body['sessionId']}"}
    )
    assert old.status_code == 401
    new_bearer = {"Authorization": f"Bearer {rotated['sessionId']}"}
    assert (await auth_app.client().get("/auth/me", headers=new_bearer)).status_code == 200

    # The rotated-out token comes back: the whole family dies and it is logged.
    with caplog.at_level(logging.WARNING, logger="sentinel.security"):
        reused = await client.post("/auth/refresh", json={"refreshToken": body["refreshToken"]})
    assert reused.status_code == 401
    events = [r for r in caplog.records if getattr(r, "event", None) == "auth.refresh_token_reuse"]
    assert len(events) == 1 and events[0].sessions_revoked == 1  # type: ignore[attr-defined]
    assert (await auth_app.client().get("/auth/me", headers=new_bearer)).status_code == 401
    dead = await client.post("/auth/refresh", json={"refreshToken": rotated["refreshToken"]})
    assert dead.status_code == 401
    # The other device's family is untouched.
    other = {"Authorization": f"Bearer {other_device['sessionId']}"}
    assert (await auth_app.client().get("/auth/me", headers=other)).status_code == 200
    refreshed_other = await client.post(
        "/auth/refresh", json={"refreshToken": other_device["refreshToken"]}
    )
    assert refreshed_other.status_code == 200


async def test_list_end_one_and_logout_everywhere(auth_app: AuthApp) -> None:
    first = await auth_app.session_for("many@example.com")
    phone = auth_app.client(ip="203.0.113.20", **{"User-Agent": "Phone/1.0"})
    second = (await auth_app.login(phone, "many@example.com")).json()
    bearer = {"Authorization": f"Bearer {first['sessionId']}"}
    client = auth_app.client()
    listed = await client.get("/auth/sessions", headers=bearer)
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    assert {"id", "createdAt", "lastSeenAt", "ip", "userAgent", "current"} <= set(sessions[0])
    mine = [s for s in sessions if s["current"]]
    theirs = [s for s in sessions if not s["current"]]
    assert len(mine) == 1 and theirs[0]["ip"] == "203.0.113.20"
    assert theirs[0]["userAgent"] == "Phone/1.0"
    assert first["sessionId"] not in listed.text and second["sessionId"] not in listed.text

    ended = await client.delete(f"/auth/sessions/{theirs[0]['id']}", headers=bearer)
    assert ended.status_code == 200
    assert (await phone.get("/auth/me")).status_code == 401
    assert (
        await client.delete(f"/auth/sessions/{theirs[0]['id']}", headers=bearer)
    ).status_code == 404

    # Someone else's session id is not ours to end.
    stranger = await auth_app.session_for("stranger@example.com")
    stranger_sessions = await auth_app.client().get(
        "/auth/sessions", headers={"Authorization": f"Bearer {stranger['sessionId']}"}
    )
    stranger_id = stranger_sessions.json()[0]["id"]
    assert (await client.delete(f"/auth/sessions/{stranger_id}", headers=bearer)).status_code == 404

    third = (await auth_app.login(auth_app.client(), "many@example.com")).json()
    everywhere = await client.post("/auth/logout", headers=bearer, json={"all": True})
    assert everywhere.status_code == 200
    for session in (first["sessionId"], third["sessionId"]):
        me = await auth_app.client().get("/auth/me", headers={"Authorization": f"Bearer {session}"})
        assert me.status_code == 401
    assert (
        await client.post("/auth/refresh", json={"refreshToken": third["refreshToken"]})
    ).status_code == 401
    # logout-all leaves the stranger alone
    s_bearer = {"Authorization": f"Bearer {stranger['sessionId']}"}
    assert (await auth_app.client().get("/auth/me", headers=s_bearer)).status_code == 200
    assert PASSWORD


async def test_concurrent_requests_with_an_uncached_session_share_one_lookup(
    auth_app: AuthApp,
) -> None:
    import asyncio

    from sqlalchemy import event

    body = await auth_app.session_for("burst@example.com")
    state = auth_app.app.state.sentinel
    state.services.authenticator.service.cache.clear()  # as when its entry expires
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = state.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client = auth_app.client(Authorization=f"Bearer {body['sessionId']}")
        answers = await asyncio.gather(*(client.get("/auth/me") for _ in range(12)))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert [a.status_code for a in answers] == [200] * 12
    assert {a.json()["email"] for a in answers} == {"burst@example.com"}
    lookups = [s for s in statements if "session" in s.lower() and "select" in s.lower()]
    assert len(lookups) == 1, statements

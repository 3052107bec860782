"""Email and password, end to end through the generated app: signup, the verification
mail read from a real SMTP server, login, /auth/me, logout, and the hooks."""

from __future__ import annotations

from typing import Any

from tests.integration.auth.harness import PASSWORD, AuthApp


async def test_signup_verify_login_me_logout(auth_app: AuthApp) -> None:
    client = auth_app.client()
    signup = await auth_app.sign_up(client, "Ana@Example.com", displayName="Ana")
    assert signup.status_code == 201 and signup.json() == {}

    # The verification mail holds <APP_URL><clientRoute path>?token= in text and HTML.
    link = await auth_app.last_link("ana@example.com", "/verify")
    [mail] = await auth_app.mails_to("ana@example.com")
    assert mail["From"] == "AuthTest <noreply@authtest.example>"

    # Not verified yet: 403 and no session.
    early = await auth_app.login(client, "ana@example.com")
    assert early.status_code == 403 and "set-cookie" not in early.headers
    assert early.json()["error"]["code"] == "forbidden"

    # The link's page shows a confirm form (a GET alone never spends the token).
    page = await client.get(link.removeprefix("https://testserver"))
    assert page.status_code == 200 and "Confirm my email" in page.text
    token = auth_app.token_of(link)
    assert (await client.post("/auth/email/verify-email", json={"token": token})).status_code == 200
    again = await client.post("/auth/email/verify-email", json={"token": token})
    assert again.status_code == 400  # single use

    login = await auth_app.login(client, "ANA@example.com ")
    assert login.status_code == 200, login.text
    body = login.json()
    assert set(body) == {"sessionId", "refreshToken", "user"}
    assert body["user"]["email"] == "ana@example.com" and body["user"]["displayName"] == "Ana"
    assert body["user"]["isEmailVerified"] is True and body["user"]["lastLoginAt"]
    assert not any("password" in key.lower() for key in body["user"])
    # Written to the row, not only to the answer's copy of the user.
    [row] = await auth_app.rows(
        'SELECT "lastLoginAt" FROM "User" WHERE id = :id', id=body["user"]["id"]
    )
    assert row[0] is not None

    bearer = {"Authorization": f"Bearer {body['sessionId']}"}
    me = await auth_app.client().get("/auth/me", headers=bearer)
    assert me.status_code == 200 and me.json()["id"] == body["user"]["id"]
    # The cookie works too (the client kept it).
    assert (await client.get("/auth/me")).json()["email"] == "ana@example.com"

    who = await client.post("/operations/who-am-i")
    assert who.status_code == 200 and who.json()["email"] == "ana@example.com"

    logout = await client.post("/auth/logout", json={})
    assert logout.status_code == 200
    assert (await auth_app.client().get("/auth/me", headers=bearer)).status_code == 401
    assert (await client.get("/auth/me")).status_code == 401


async def test_hooks_run_in_the_auth_transaction(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "hooks@example.com")
    login = await auth_app.login(client, "hooks@example.com")
    assert login.status_code == 200
    rows = await auth_app.rows('SELECT hook, detail FROM "HookLog" ORDER BY id')
    hooks = [r.hook for r in rows]
    assert hooks == ["before_signup", "after_signup", "before_login", "after_login"]
    assert rows[1].detail == "email:hooks@example.com:password"
    sessions = await auth_app.rows("SELECT id FROM auth_sessions")
    assert rows[3].detail == sessions[0].id
    # onAfterEmailVerified (sync, without context) set the display name on the user.
    [user] = await auth_app.rows('SELECT "displayName" FROM "User"')
    assert user.displayName == "hooks"


async def test_before_signup_can_refuse_and_nothing_is_written(auth_app: AuthApp) -> None:
    client = auth_app.client()
    refused = await auth_app.sign_up(client, "eve@blocked.example")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "Signups from this domain are closed"
    assert await auth_app.rows('SELECT id FROM "User"') == []


async def test_before_login_can_refuse(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "banned@example.com", displayName="Banned")
    refused = await auth_app.login(client, "banned@example.com")
    assert refused.status_code == 403 and "set-cookie" not in refused.headers
    assert await auth_app.rows("SELECT id FROM auth_sessions") == []


async def test_signup_breaking_the_policy_lists_every_rule(auth_app: AuthApp) -> None:
    client = auth_app.client()
    answer = await auth_app.sign_up(client, "weak@example.com", password="short")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["rule"] for d in error["details"]] == ["minLength", "requireUpper", "requireDigit"]
    bad_email = await auth_app.sign_up(client, "not-an-address", password="x")
    fields = [d["field"] for d in bad_email.json()["error"]["details"]]
    assert fields[0] == "email" and "password" in fields


async def test_signup_fields_are_validated(auth_app: AuthApp) -> None:
    answer = await auth_app.sign_up(auth_app.client(), "long@example.com", displayName="x" * 41)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"][0]["field"] == "signup"


async def test_signup_for_a_taken_address_looks_the_same_and_mails_the_owner(
    auth_app: AuthApp,
) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "taken@example.com")
    again = await auth_app.sign_up(auth_app.client(), "taken@example.com", password="Other-pass-1")
    assert again.status_code == 201 and again.json() == {}
    mails = await auth_app.mails_to("taken@example.com", 2)
    assert "already has one" in mails[1].get_body(preferencelist=("plain",)).get_content()
    # The password did not change: the old one still logs in.
    assert (await auth_app.login(client, "taken@example.com", PASSWORD)).status_code == 200
    assert (await auth_app.login(client, "taken@example.com", "Other-pass-1")).status_code == 401


async def test_login_rehashes_a_password_made_with_older_parameters(serve_auth_app: Any) -> None:
    async with serve_auth_app() as app:
        await app.signed_up_and_verified(app.client(), "rehash@example.com")
        [before] = await app.rows("SELECT password_hash FROM auth_identities")
        assert "$m=19456,t=2,p=1$" in before.password_hash
    # The operator raises the cost: the next login stores a hash with the new parameters.
    async with serve_auth_app(AUTH_ARGON2_TIME_COST="3") as app:
        assert (await app.login(app.client(), "rehash@example.com")).status_code == 200
        [after] = await app.rows("SELECT password_hash FROM auth_identities")
        assert "$m=19456,t=3,p=1$" in after.password_hash
        assert (await app.login(app.client(), "rehash@example.com")).status_code == 200


async def test_an_app_template_replaces_a_built_in_page(auth_app: AuthApp) -> None:
    client = auth_app.client()
    page = await client.get("/auth/signup")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = await client.post(
        "/auth/signup", data={"email": "tpl@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert done.status_code == 201 and "AuthTest: almost there" in done.text

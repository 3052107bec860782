"""Sign in with Google through the app, against the loopback OpenID provider: the code
flow with state, nonce and PKCE, account creation and linking, bad ID tokens refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pyotp

from tests.integration.auth.harness import PASSWORD, AuthApp
from tests.oidc_provider import CLIENT_ID


async def google_round_trip(
    app: AuthApp, client: httpx.AsyncClient, sabotage: str | None = None
) -> httpx.Response:
    """/auth/google/login -> the provider (a real HTTP hop) -> /auth/google/callback."""
    start = await client.get("/auth/google/login")
    assert start.status_code == 302, start.text
    authorize_url = start.headers["location"]
    assert authorize_url.startswith(app.provider.base + "/authorize?")
    query = parse_qs(urlparse(authorize_url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["https://testserver/auth/google/callback"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    # configFn's scopes, with openid always first.
    assert query["scope"] == ["openid email profile address"]
    assert "sentinel_oauth_google=" in start.headers["set-cookie"]
    async with httpx.AsyncClient() as browser:
        provider_answer = await browser.get(authorize_url)
    assert provider_answer.status_code == 302
    back = provider_answer.headers["location"].removeprefix("https://testserver")
    app.provider.sabotage = sabotage
    return await client.get(back)


async def test_new_user_signs_in_with_google(auth_app: AuthApp) -> None:
    auth_app.provider.next_user = {
        "sub": "g-100",
        "email": "Gina@Example.com",
        "email_verified": True,
        "name": "Gina G",
    }
    client = auth_app.client()
    done = await google_round_trip(auth_app, client)
    assert done.status_code == 302 and done.headers["location"] == "/home"
    assert "sentinel_session=" in done.headers["set-cookie"]
    me = (await client.get("/auth/me")).json()
    assert me["email"] == "gina@example.com" and me["displayName"] == "Gina G"
    assert me["isEmailVerified"] is True
    # The token request carried the PKCE verifier; the provider checked it against the challenge.
    assert auth_app.provider.token_requests[-1]["code_verifier"]
    identities = await auth_app.rows("SELECT provider, provider_user_id FROM auth_identities")
    assert [(r.provider, r.provider_user_id) for r in identities] == [("google", "g-100")]
    hooks = await auth_app.rows('SELECT hook, detail FROM "HookLog" ORDER BY id')
    assert ("after_signup", "google:gina@example.com:oauth") in [(h.hook, h.detail) for h in hooks]

    # The second time, the same account (found by sub, whatever the address says now).
    auth_app.provider.next_user = {**auth_app.provider.next_user, "email": "gina.new@example.com"}
    again = auth_app.client()
    assert (await google_round_trip(auth_app, again)).status_code == 302
    assert (await again.get("/auth/me")).json()["id"] == me["id"]


async def test_google_links_to_the_account_with_that_verified_address(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "link@example.com")
    user_id = (await auth_app.login(client, "link@example.com")).json()["user"]["id"]
    auth_app.provider.next_user = {
        "sub": "g-200",
        "email": "link@example.com",
        "email_verified": True,
    }
    browser = auth_app.client()
    assert (await google_round_trip(auth_app, browser)).status_code == 302
    assert (await browser.get("/auth/me")).json()["id"] == user_id
    # Both ways in still work.
    assert (await auth_app.login(auth_app.client(), "link@example.com")).status_code == 200


async def test_an_unverified_password_account_is_not_handed_over(auth_app: AuthApp) -> None:
    # Someone signs up with an address that is not theirs and never verifies it...
    squatter = auth_app.client()
    assert (await auth_app.sign_up(squatter, "owner@example.com")).status_code == 201
    # ...then the address's real owner signs in with Google.
    auth_app.provider.next_user = {
        "sub": "g-300",
        "email": "owner@example.com",
        "email_verified": True,
    }
    owner = auth_app.client()
    assert (await google_round_trip(auth_app, owner)).status_code == 302
    assert (await owner.get("/auth/me")).json()["email"] == "owner@example.com"
    # The squatter's password is gone with the unverified identity.
    assert (await auth_app.login(squatter, "owner@example.com", PASSWORD)).status_code == 401


async def test_unverified_google_address_does_not_link(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "careful@example.com")
    auth_app.provider.next_user = {
        "sub": "g-400",
        "email": "careful@example.com",
        "email_verified": False,
    }
    browser = auth_app.client()
    refused = await google_round_trip(auth_app, browser)
    assert refused.status_code == 302 and refused.headers["location"] == "/login?error=google"
    assert (await browser.get("/auth/me")).status_code == 401


async def test_bad_id_tokens_are_refused(auth_app: AuthApp) -> None:
    for sabotage in ("tamper", "expired", "wrong_aud", "wrong_nonce", "wrong_iss", "wrong_key"):
        auth_app.provider.next_user = {
            "sub": f"g-{sabotage}",
            "email": f"{sabotage}@example.com",
            "email_verified": True,
        }
        browser = auth_app.client()
        refused = await google_round_trip(auth_app, browser, sabotage=sabotage)
        assert refused.status_code == 302, sabotage
        assert refused.headers["location"] == "/login?error=google", sabotage
        assert "sentinel_session=" not in refused.headers.get("set-cookie", ""), sabotage
    assert await auth_app.rows("SELECT id FROM auth_sessions") == []
    assert await auth_app.rows('SELECT id FROM "User"') == []
    page = await auth_app.client().get("/login?error=google")
    assert "Signing in with Google did not work" in page.text


async def test_state_must_match_the_flow_cookie(auth_app: AuthApp) -> None:
    victim = auth_app.client()
    start = await victim.get("/auth/google/login")
    assert start.status_code == 302
    # A callback with another state (an attacker's own code), or with no flow cookie at all.
    forged = await victim.get("/auth/google/callback?code=abc&state=not-ours")
    assert forged.headers["location"] == "/login?error=google"
    fresh = auth_app.client()
    no_cookie = await fresh.get("/auth/google/callback?code=abc&state=x")
    assert no_cookie.headers["location"] == "/login?error=google"
    denied = await victim.get("/auth/google/callback?error=access_denied")
    assert denied.headers["location"] == "/login?error=google"


async def test_google_sign_in_asks_for_the_second_factor(auth_app: AuthApp) -> None:
    auth_app.provider.next_user = {
        "sub": "g-500",
        "email": "gtf@example.com",
        "email_verified": True,
    }
    browser = auth_app.client()
    await google_round_trip(auth_app, browser)
    secret = (await browser.post("/auth/2fa/setup")).json()["secret"]
    assert (
        await browser.post("/auth/2fa/enable", json={"code": pyotp.TOTP(secret).now()})
    ).status_code == 200

    later = auth_app.client()
    stopped = await google_round_trip(auth_app, later)
    assert stopped.status_code == 302 and stopped.headers["location"] == "/auth/two-factor"
    assert "sentinel_session=" not in stopped.headers["set-cookie"]
    assert (await later.get("/auth/me")).status_code == 401
    from sentinel_spec.runtime.auth import totp

    code = totp.code_at(secret, totp.current_step() + 1)
    done = await later.post("/auth/2fa/verify", json={"code": code})
    assert done.status_code == 200, done.text
    assert (await later.get("/auth/me")).json()["email"] == "gtf@example.com"
    # The pending sign-in was used up.
    assert (await later.post("/auth/2fa/verify", json={"code": code})).status_code == 401

"""Attacks on auth: session fixation, cookie flags, missing and forged bearers, account
enumeration, brute force, cross-site requests, workspace allowlists and roles."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from sentinel_spec.runtime.auth.passwords import PasswordHasher
from tests.integration.auth.harness import PASSWORD, AuthApp


def bearer(session_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_id}"}


def comparable(response: httpx.Response) -> tuple[int, Any]:
    body = response.json()
    body["error"].pop("requestId")
    return response.status_code, body


# ---------------------------------------------------------------- sessions and cookies


async def test_login_never_keeps_the_session_the_client_came_with(auth_app: AuthApp) -> None:
    attacker = await auth_app.session_for("attacker@example.com")
    victim = auth_app.client()
    await auth_app.signed_up_and_verified(victim, "victim@example.com")
    # The attacker plants their own session id (and then a made-up one) in the browser.
    victim.cookies.set("sentinel_session", attacker["sessionId"])
    login = await auth_app.login(victim, "victim@example.com")
    assert login.status_code == 200
    fresh = login.json()["sessionId"]
    assert fresh != attacker["sessionId"]
    assert (await victim.get("/auth/me")).json()["email"] == "victim@example.com"
    # The planted session is over: whoever holds it cannot ride along.
    assert (
        await auth_app.client().get("/auth/me", headers=bearer(attacker["sessionId"]))
    ).status_code == 401

    victim.cookies.set("sentinel_session", "chosen-by-attacker")
    login = await auth_app.login(victim, "victim@example.com")
    assert "chosen-by-attacker" not in login.headers["set-cookie"]


async def test_cookie_flags_in_production(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "cookie@example.com")
    login = await auth_app.login(client, "cookie@example.com")
    cookie = login.headers["set-cookie"]
    parts = [p.strip().lower() for p in cookie.split(";")]
    assert parts[0] == f"sentinel_session={login.json()['sessionId']}".lower()
    assert (
        "httponly" in parts and "secure" in parts and "samesite=lax" in parts and "path=/" in parts
    )
    assert any(p.startswith("max-age=") for p in parts)


async def test_cookie_is_not_secure_in_development(serve_auth_app: Any) -> None:
    async with serve_auth_app(SENTINEL_ENV="development") as app:
        client = app.client()
        await app.signed_up_and_verified(client, "dev@example.com")
        login = await app.login(client, "dev@example.com")
        parts = [p.strip().lower() for p in login.headers["set-cookie"].split(";")]
        assert "httponly" in parts and "samesite=lax" in parts and "secure" not in parts


async def test_missing_or_forged_bearer_is_refused_everywhere(auth_app: AuthApp) -> None:
    body = await auth_app.session_for("bearer@example.com")
    client = auth_app.client()
    forged = [
        {},
        bearer("forged-" + body["sessionId"][7:]),
        bearer(body["sessionId"][:-1]),
        {"Authorization": "Bearer"},
        {"Authorization": f"Basic {body['sessionId']}"},
        bearer("x" * 1000),
    ]
    for headers in forged:
        for method, path in (
            ("GET", "/auth/me"),
            ("POST", "/operations/who-am-i"),
            ("GET", "/api/secret"),
            ("POST", "/crud/workspaces/get-all"),
            ("GET", "/auth/sessions"),
        ):
            answer = await client.request(method, path, headers=headers)
            assert answer.status_code == 401, (headers, path, answer.text)
            assert answer.json()["error"]["code"] == "unauthenticated"
    # A malformed Authorization header is not rescued by a valid cookie.
    cookie_client = auth_app.client()
    await auth_app.login(cookie_client, "bearer@example.com")
    assert (await cookie_client.get("/auth/me")).status_code == 200
    assert (
        await cookie_client.get("/auth/me", headers={"Authorization": "Token abc"})
    ).status_code == 401
    assert (await client.get("/api/secret", headers=bearer(body["sessionId"]))).json()[
        "secret"
    ] == 42
    public = await client.post("/operations/public-hello")
    assert public.json() == {"hello": "world", "signedIn": False}


async def test_pages_that_need_a_session_redirect_to_login(auth_app: AuthApp) -> None:
    client = auth_app.client()
    away = await client.get("/home")
    assert away.status_code == 302 and away.headers["location"] == "/login"
    await auth_app.signed_up_and_verified(client, "page@example.com")
    await auth_app.login(client, "page@example.com")
    home = await client.get("/home")
    assert home.status_code == 200 and "Welcome page@example.com" in home.text


async def test_revocation_elsewhere_takes_effect_within_the_cache_time(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_SESSION_CACHE_SECONDS="1") as app:
        body = await app.session_for("cache@example.com")
        client = app.client()
        assert (await client.get("/auth/me", headers=bearer(body["sessionId"]))).status_code == 200
        # Another server instance ends the session: only the database knows.
        await app.execute("UPDATE auth_sessions SET revoked_at = now()")
        await asyncio.sleep(1.1)
        assert (await client.get("/auth/me", headers=bearer(body["sessionId"]))).status_code == 401


# ---------------------------------------------------------------- enumeration, brute force


async def test_unknown_and_known_addresses_fail_alike(auth_app: AuthApp, monkeypatch: Any) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "exists@example.com")
    wasted: list[str] = []
    original = PasswordHasher.waste_time

    def counting(self: PasswordHasher, password: str) -> None:
        wasted.append(password)
        original(self, password)

    monkeypatch.setattr(PasswordHasher, "waste_time", counting)
    wrong_password = await auth_app.login(client, "exists@example.com", "Wrong-password-1")
    unknown = await auth_app.login(client, "ghost@example.com", "Wrong-password-1")
    assert comparable(wrong_password) == comparable(unknown)
    assert comparable(unknown) == (
        401,
        {
            "error": {
                "code": "unauthenticated",
                "message": "Invalid email or password",
                "details": None,
            }
        },
    )
    # The unknown address cost one Argon2 verification, as a real one does.
    assert wasted == ["Wrong-password-1"]


async def test_failed_logins_are_limited_per_account_alike(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_LOGIN_LIMIT_ACCOUNT="3/15minutes") as app:
        client = app.client()
        await app.signed_up_and_verified(client, "target@example.com")
        answers: dict[str, list[httpx.Response]] = {}
        for email in ("target@example.com", "phantom@example.com"):
            answers[email] = [
                await app.login(app.client(ip=f"203.0.113.{i}"), email, "Bad-guess-1")
                for i in range(4)
            ]
        for email, got in answers.items():
            assert [r.status_code for r in got] == [401, 401, 401, 429], email
        known, unknown = answers["target@example.com"][3], answers["phantom@example.com"][3]
        assert comparable(known)[1]["error"]["code"] == "rate_limited"
        assert (
            comparable(known)[1]["error"]["message"] == comparable(unknown)[1]["error"]["message"]
        )
        assert int(known.headers["retry-after"]) > 0 and int(unknown.headers["retry-after"]) > 0
        # Even the right password is refused while the account is locked.
        assert (
            await app.login(app.client(ip="192.0.2.1"), "target@example.com")
        ).status_code == 429


async def test_failed_logins_are_limited_per_ip(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_LOGIN_LIMIT_IP="4/15minutes") as app:
        sprayer = app.client(ip="203.0.113.66")
        statuses = [
            (await app.login(sprayer, f"user{i}@example.com", "Spray-guess-1")).status_code
            for i in range(5)
        ]
        assert statuses == [401, 401, 401, 401, 429]
        # Another address is not blocked.
        other = await app.login(app.client(ip="203.0.113.67"), "user9@example.com", "Spray-guess-1")
        assert other.status_code == 401


async def test_rotating_ipv6_addresses_inside_one_64_share_a_budget(serve_auth_app: Any) -> None:
    # The per-IP key is the shared proxies.client_ip, an IPv6 address counted by its /64
    # like the server's own limits: a subscriber holding a /64 cannot buy more guesses.
    async with serve_auth_app(AUTH_LOGIN_LIMIT_IP="4/15minutes") as app:
        statuses = [
            (
                await app.login(
                    app.client(ip=f"2001:db8:5:7::{i + 1:x}"), f"v6user{i}@example.com", "Guess-1x"
                )
            ).status_code
            for i in range(5)
        ]
        assert statuses == [401, 401, 401, 401, 429]
        elsewhere = app.client(ip="2001:db8:5:8::1")  # the next /64
        assert (await app.login(elsewhere, "v6user9@example.com", "Guess-1x")).status_code == 401


# ---------------------------------------------------------------- cross-site requests


async def test_cookie_carrying_posts_from_other_sites_are_refused(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "csrf@example.com")
    await auth_app.login(client, "csrf@example.com")
    evil = await client.post("/operations/who-am-i", headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    null = await client.post("/operations/who-am-i", headers={"Origin": "null"})
    assert null.status_code == 403
    ours = await client.post("/operations/who-am-i", headers={"Origin": "https://testserver"})
    assert ours.status_code == 200
    cors = await client.post(
        "/operations/who-am-i", headers={"Origin": "https://app.authtest.example"}
    )
    assert cors.status_code == 200
    # A bearer token is not sent by browsers on their own: no origin check needed.
    token = (await auth_app.login(auth_app.client(), "csrf@example.com")).json()["sessionId"]
    assert (
        await auth_app.client().post(
            "/operations/who-am-i", headers={**bearer(token), "Origin": "https://testserver"}
        )
    ).status_code == 200


async def test_auth_json_routes_refuse_form_bodies(auth_app: AuthApp) -> None:
    answer = await auth_app.client().post(
        "/auth/email/login",
        content=b"email=a%40b.c&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 415


async def test_form_posts_need_the_csrf_token_and_our_origin(auth_app: AuthApp) -> None:
    client = auth_app.client()
    await auth_app.signed_up_and_verified(client, "form@example.com")
    page = await client.get("/auth/login")
    assert page.status_code == 200 and "sentinel_csrf" in page.headers["set-cookie"]
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"email": "form@example.com", "password": PASSWORD, "next": "/home"}
    missing = await client.post("/auth/login", data=form)
    assert missing.status_code == 403
    evil = await client.post(
        "/auth/login",
        data={**form, "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert evil.status_code == 403
    stranger = auth_app.client()  # a token from another browser (no matching cookie)
    assert (
        await stranger.post("/auth/login", data={**form, "csrf_token": token})
    ).status_code == 403
    ok = await client.post("/auth/login", data={**form, "csrf_token": token})
    assert ok.status_code == 303 and ok.headers["location"] == "/home"
    assert "sentinel_session=" in ok.headers["set-cookie"]
    off_site = await client.post(
        "/auth/login", data={**form, "csrf_token": token, "next": "//evil.example/x"}
    )
    assert off_site.headers["location"] == "/home"


# ---------------------------------------------------------------- workspaces


async def workspace_with(
    app: AuthApp,
    user_id: str,
    role: str,
    allowlist: list[str] | None = None,
    timeout: int | None = None,
) -> str:
    import uuid

    workspace_id = str(uuid.uuid4())
    await app.execute(
        'INSERT INTO "Workspace" (id, name, "ipAllowlist", "sessionTimeoutMins") '
        "VALUES (:id, 'Acme', :allow, :timeout)",
        id=workspace_id,
        allow=allowlist or [],
        timeout=timeout,
    )
    await app.execute(
        'INSERT INTO "Member" ("userId", "workspaceId", role) VALUES (:u, :w, CAST(:r AS role))',
        u=user_id,
        w=workspace_id,
        r=role,
    )
    return workspace_id


async def test_roles_and_membership(auth_app: AuthApp) -> None:
    viewer = await auth_app.session_for("viewer@example.com")
    admin = await auth_app.session_for("admin@example.com")
    outsider = await auth_app.session_for("outsider@example.com")
    workspace = await workspace_with(auth_app, viewer["user"]["id"], "VIEWER")
    await auth_app.execute(
        'INSERT INTO "Member" ("userId", "workspaceId", role) VALUES (:u, :w, \'ADMIN\')',
        u=admin["user"]["id"],
        w=workspace,
    )
    client = auth_app.client()
    read = await client.post(
        "/operations/read-workspace",
        json={"workspaceId": workspace},
        headers=bearer(viewer["sessionId"]),
    )
    assert read.status_code == 200 and read.json() == {"role": "VIEWER"}
    rename = await client.post(
        "/operations/rename-workspace",
        json={"workspaceId": workspace, "name": "Mine"},
        headers=bearer(viewer["sessionId"]),
    )
    assert rename.status_code == 403
    assert rename.json()["error"]["details"] == {
        "reason": "role",
        "requiredRole": "ADMIN",
        "role": "VIEWER",
    }
    by_admin = await client.post(
        "/operations/rename-workspace",
        json={"workspaceId": workspace, "name": "Renamed"},
        headers=bearer(admin["sessionId"]),
    )
    assert by_admin.status_code == 200 and by_admin.json() == {"name": "Renamed"}
    stranger = await client.post(
        "/operations/read-workspace",
        json={"workspaceId": workspace},
        headers=bearer(outsider["sessionId"]),
    )
    assert stranger.status_code == 404  # as for a workspace that does not exist
    missing = await client.post(
        "/operations/read-workspace",
        json={"workspaceId": "00000000-0000-0000-0000-000000000000"},
        headers=bearer(outsider["sessionId"]),
    )
    assert comparable(missing) == comparable(stranger)


async def test_ip_allowlist(auth_app: AuthApp) -> None:
    member = await auth_app.session_for("office@example.com")
    workspace = await workspace_with(
        auth_app, member["user"]["id"], "OWNER", allowlist=["10.0.0.0/8", "192.0.2.44"]
    )
    args = {"workspaceId": workspace}
    outside = await auth_app.client(ip="198.51.100.7").post(
        "/operations/read-workspace", json=args, headers=bearer(member["sessionId"])
    )
    assert outside.status_code == 403
    assert outside.json()["error"]["details"] == {"reason": "ip_not_allowed"}
    for ip in ("10.20.30.40", "192.0.2.44"):
        inside = await auth_app.client(ip=ip).post(
            "/operations/read-workspace", json=args, headers=bearer(member["sessionId"])
        )
        assert inside.status_code == 200, ip


async def test_workspace_session_timeout(serve_auth_app: Any) -> None:
    async with serve_auth_app(AUTH_SESSION_CACHE_SECONDS="0") as app:
        member = await app.session_for("strict@example.com")
        strict = await workspace_with(app, member["user"]["id"], "MEMBER", timeout=5)
        relaxed = await workspace_with(app, member["user"]["id"], "MEMBER")
        client = app.client()
        headers = bearer(member["sessionId"])
        assert (
            await client.post(
                "/operations/read-workspace", json={"workspaceId": strict}, headers=headers
            )
        ).status_code == 200
        # Ten minutes without a request: past the workspace's 5, within the app's 30.
        await app.execute("UPDATE auth_sessions SET last_seen_at = now() - interval '10 minutes'")
        idle = await client.post(
            "/operations/read-workspace", json={"workspaceId": strict}, headers=headers
        )
        assert idle.status_code == 401
        assert idle.json()["error"]["details"] == {"reason": "workspace_session_timeout"}
        await app.execute("UPDATE auth_sessions SET last_seen_at = now() - interval '10 minutes'")
        assert (
            await client.post(
                "/operations/read-workspace", json={"workspaceId": relaxed}, headers=headers
            )
        ).status_code == 200


async def test_websocket_connections_authenticate_like_requests(auth_app: AuthApp) -> None:
    from starlette.requests import HTTPConnection

    body = await auth_app.session_for("socket@example.com")
    authenticator = auth_app.app.state.sentinel.services.authenticator
    token = body["sessionId"]

    def handshake(headers: dict[str, str], query: str = "") -> HTTPConnection:
        raw = [
            (k.lower().encode(), v.encode()) for k, v in {"Host": "testserver", **headers}.items()
        ]
        return HTTPConnection(
            {
                "type": "websocket",
                "path": "/ws",
                "headers": raw,
                "query_string": query.encode(),
                "app": auth_app.app,
            }
        )

    async def user_of(conn: HTTPConnection) -> Any:
        return await authenticator.authenticate(conn)

    assert (await user_of(handshake({}, f"token={token}"))).email == "socket@example.com"
    assert (
        await user_of(handshake({"Authorization": f"Bearer {token}"}))
    ).email == "socket@example.com"
    cookie = {"Cookie": f"sentinel_session={token}"}
    assert (await user_of(handshake({**cookie, "Origin": "https://testserver"}))) is not None
    # Cross-site WebSocket hijacking: another site's page opening a socket with our cookie.
    assert await user_of(handshake({**cookie, "Origin": "https://evil.example"})) is None
    assert await user_of(handshake({}, "token=forged")) is None
    assert await user_of(handshake({})) is None

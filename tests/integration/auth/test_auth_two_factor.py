"""2FA end to end: set-up with a code computed from the secret, login asking for it,
TOTP and backup codes each usable once, disable with password + code."""

from __future__ import annotations

import pyotp

from sentinel_spec.runtime.auth import totp
from tests.integration.auth.harness import PASSWORD, AuthApp


async def enable_2fa(auth_app: AuthApp, email: str) -> tuple[str, list[str], dict[str, str]]:
    body = await auth_app.session_for(email)
    bearer = {"Authorization": f"Bearer {body['sessionId']}"}
    client = auth_app.client()
    setup = await client.post("/auth/2fa/setup", headers=bearer)
    assert setup.status_code == 200, setup.text
    info = setup.json()
    assert set(info) == {"secret", "otpauthUrl", "qrSvg"}
    assert (
        info["otpauthUrl"].startswith("otpauth://totp/") and "issuer=AuthTest" in info["otpauthUrl"]
    )
    assert info["qrSvg"].startswith("<svg")
    stale = totp.code_at(info["secret"], totp.current_step() - 5)  # outside the drift window
    wrong = await client.post("/auth/2fa/enable", headers=bearer, json={"code": stale})
    assert wrong.status_code == 400
    enabled = await client.post(
        "/auth/2fa/enable", headers=bearer, json={"code": pyotp.TOTP(info["secret"]).now()}
    )
    assert enabled.status_code == 200, enabled.text
    codes = enabled.json()["backupCodes"]
    assert len(codes) == 4
    return info["secret"], codes, bearer


async def test_login_needs_the_code_once_enabled(auth_app: AuthApp) -> None:
    secret, codes, bearer = await enable_2fa(auth_app, "tf@example.com")
    client = auth_app.client()
    me = await client.get("/auth/me", headers=bearer)
    assert me.json()["twoFactorEnabled"] is True
    # Set-up again is refused while enabled; the secret is stored sealed.
    assert (await client.post("/auth/2fa/setup", headers=bearer)).status_code == 409
    [stored] = await auth_app.rows("SELECT secret_sealed FROM auth_two_factor")
    assert secret not in stored.secret_sealed

    no_code = await auth_app.login(client, "tf@example.com")
    assert no_code.status_code == 401 and "set-cookie" not in no_code.headers
    assert no_code.json()["error"]["details"] == {"twoFactorRequired": True}

    # The enabling code is spent; the next time step's code works, once.
    next_code = totp.code_at(secret, totp.current_step() + 1)
    ok = await auth_app.login(client, "tf@example.com", totp=next_code)
    assert ok.status_code == 200, ok.text
    replay = await auth_app.login(client, "tf@example.com", totp=next_code)
    assert replay.status_code == 401
    assert replay.json()["error"]["details"] == {"twoFactorRequired": True}

    # A backup code works once, in any case and with or without its dash.
    with_backup = await auth_app.login(client, "tf@example.com", totp=codes[0].upper())
    assert with_backup.status_code == 200
    assert (await auth_app.login(client, "tf@example.com", totp=codes[0])).status_code == 401
    [stored_codes] = await auth_app.rows(
        "SELECT count(*) AS n FROM auth_backup_codes WHERE used_at IS NULL"
    )
    assert stored_codes.n == 3
    digests = await auth_app.rows("SELECT code_digest FROM auth_backup_codes")
    assert all(c.replace("-", "") not in d.code_digest for c in codes for d in digests)


async def test_disable_needs_password_and_code(auth_app: AuthApp) -> None:
    secret, codes, bearer = await enable_2fa(auth_app, "off@example.com")
    client = auth_app.client()
    step = totp.current_step()
    wrong_password = await client.post(
        "/auth/2fa/disable",
        headers=bearer,
        json={"password": "Wrong-pass-1", "code": totp.code_at(secret, step + 1)},
    )
    assert wrong_password.status_code == 403
    wrong_code = await client.post(
        "/auth/2fa/disable", headers=bearer, json={"password": PASSWORD, "code": "123"}
    )
    assert wrong_code.status_code == 403
    off = await client.post(
        "/auth/2fa/disable", headers=bearer, json={"password": PASSWORD, "code": codes[1]}
    )
    assert off.status_code == 200, off.text
    assert (await client.get("/auth/me", headers=bearer)).json()["twoFactorEnabled"] is False
    assert (await auth_app.login(client, "off@example.com")).status_code == 200
    assert await auth_app.rows("SELECT user_id FROM auth_backup_codes") == []


async def test_new_backup_codes_replace_the_old_ones(auth_app: AuthApp) -> None:
    secret, codes, bearer = await enable_2fa(auth_app, "codes@example.com")
    client = auth_app.client()
    fresh = await client.post(
        "/auth/2fa/backup-codes",
        headers=bearer,
        json={"code": totp.code_at(secret, totp.current_step() + 1)},
    )
    assert fresh.status_code == 200
    new_codes = fresh.json()["backupCodes"]
    assert len(new_codes) == 4 and not set(new_codes) & set(codes)
    assert (await auth_app.login(client, "codes@example.com", totp=codes[2])).status_code == 401
    assert (await auth_app.login(client, "codes@example.com", totp=new_codes[0])).status_code == 200


async def test_2fa_routes_need_a_session(auth_app: AuthApp) -> None:
    client = auth_app.client()
    for path in ("/auth/2fa/setup", "/auth/2fa/enable", "/auth/2fa/disable"):
        answer = await client.post(path, json={})
        assert answer.status_code == 401, path
        assert answer.json()["error"]["code"] == "unauthenticated"

"""An OpenID Connect provider on loopback, for Google-login tests.

Speaks the real wire formats: a discovery document, a JWKS, an authorization
endpoint that approves at once (redirecting back with ``code`` and ``state``), and a
token endpoint that checks the client secret, the redirect URI and the PKCE S256
verifier before answering with an RS256-signed ID token. ``next_user`` says who signs
in next; ``sabotage`` makes the next ID token bad in one chosen way.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.servers import free_port

CLIENT_ID = "sentinel-test-client.apps.example"
CLIENT_SECRET = "test-client-secret"

SABOTAGES = ("tamper", "expired", "wrong_aud", "wrong_nonce", "wrong_iss", "wrong_key", "no_nonce")


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str
    claims: dict[str, Any]


@dataclass
class Provider:
    base: str
    kid: str = "k1"
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    next_user: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "google-sub-1",
            "email": "ana@example.com",
            "email_verified": True,
            "name": "Ana Lima",
        }
    )
    sabotage: str | None = None
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def discovery_url(self) -> str:
        return f"{self.base}/.well-known/openid-configuration"

    def id_token(self, grant: Grant, access_token: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.base,
            "aud": grant.client_id,
            "azp": grant.client_id,
            "iat": now,
            "exp": now + 600,
            **grant.claims,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        sabotage, self.sabotage = self.sabotage, None  # one bad token, then good ones again
        key = self.key
        if sabotage == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif sabotage == "wrong_aud":
            claims["aud"] = claims["azp"] = "someone-else.apps.example"
        elif sabotage == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        elif sabotage == "no_nonce":
            claims.pop("nonce", None)
        elif sabotage == "wrong_iss":
            claims["iss"] = "https://evil.example"
        elif sabotage == "wrong_key":
            key = RSAKey.generate_key(2048, parameters={"kid": self.kid})
        token = jwt.encode({"alg": "RS256", "kid": self.kid}, claims, key)
        if sabotage == "tamper":
            header, _payload, signature = token.split(".")
            forged = jwt.encode({"alg": "RS256", "kid": self.kid}, {**claims, "sub": "admin"}, key)
            token = ".".join([header, forged.split(".")[1], signature])
        return token

    def rotate_key(self, kid: str) -> None:
        self.kid = kid
        self.key = RSAKey.generate_key(2048, parameters={"kid": kid})

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            return JSONResponse(
                {
                    "issuer": self.base,
                    "authorization_endpoint": f"{self.base}/authorize",
                    "token_endpoint": f"{self.base}/token",
                    "jwks_uri": f"{self.base}/jwks",
                    "userinfo_endpoint": f"{self.base}/userinfo",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                }
            )

        async def jwks(request: Request) -> Response:
            return JSONResponse({"keys": [self.key.as_dict(private=False)]})

        async def authorize(request: Request) -> Response:
            params = dict(request.query_params)
            self.authorize_requests.append(params)
            if params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
                return JSONResponse({"error": "unauthorized_client"}, status_code=400)
            if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
                return JSONResponse({"error": "invalid_request", "d": "PKCE"}, status_code=400)
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                nonce=params.get("nonce"),
                code_challenge=params["code_challenge"],
                claims=dict(self.next_user),
            )
            query = urlencode({"code": code, "state": params.get("state", "")})
            return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

        async def token(request: Request) -> Response:
            form = {k: str(v) for k, v in (await request.form()).items()}
            self.token_requests.append(form)
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            auth = request.headers.get("authorization", "")
            if auth.startswith("Basic "):
                client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
            if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self.grants.pop(form.get("code", ""), None)  # codes are single-use
            if grant is None or form.get("grant_type") != "authorization_code":
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            if form.get("redirect_uri") != grant.redirect_uri:
                return JSONResponse({"error": "invalid_grant", "d": "redirect"}, status_code=400)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .decode()
                .rstrip("=")
            )
            if not secrets.compare_digest(challenge, grant.code_challenge):
                return JSONResponse({"error": "invalid_grant", "d": "PKCE"}, status_code=400)
            access_token = secrets.token_urlsafe(24)
            return JSONResponse(
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "scope": "openid email profile",
                    "id_token": self.id_token(grant, access_token),
                }
            )

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/jwks", jwks),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
            ]
        )


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(base=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the loopback OIDC provider did not start")
        time.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)

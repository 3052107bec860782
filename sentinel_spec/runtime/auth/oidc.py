"""An OpenID Connect relying party for the authorization code flow (Google login).

``begin`` makes the authorization URL with a fresh ``state`` (CSRF), ``nonce`` (ID
token replay) and PKCE ``code_verifier`` (S256; a stolen code is useless without
it); the caller keeps the three in a signed, HttpOnly cookie. ``complete`` exchanges
the code (authlib prepares the requests, httpx sends them) and verifies the ID
token: its RS256 signature against the provider's JWKS (joserfc), ``iss`` against the
discovery document, ``aud`` equal to our client id (authlib's ``CodeIDToken`` alone
does not require that), ``exp``/``iat`` with a small leeway, ``nonce`` equal to ours,
and ``at_hash`` when present. Anything wrong raises ``OidcError``; nothing is half-trusted.

The discovery document and JWKS are cached; an unknown ``kid`` refetches the JWKS
(at most once a minute), so the provider's key rotation needs no restart.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

# Asymmetric algorithms only: "none" and HS256 (which a forger could sign with the
# public key) are never accepted.
SAFE_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256")
METADATA_TTL = 3600.0
JWKS_REFETCH_AFTER = 60.0


class OidcError(Exception):
    """The provider's answer is refused; ``reason`` is safe to log, not to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OidcConfig:
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    # Other spellings of the issuer the provider uses (Google: "accounts.google.com").
    issuer_aliases: tuple[str, ...] = ()
    leeway_seconds: int = 60
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class FlowState:
    """What the callback must see again: kept in a signed cookie between the two."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str

    def as_dict(self) -> dict[str, str]:
        return {
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "redirect_uri": self.redirect_uri,
        }

    @classmethod
    def from_dict(cls, data: Any) -> FlowState | None:
        keys = ("state", "nonce", "code_verifier", "redirect_uri")
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in keys):
            return None
        return cls(*(data[k] for k in keys))


@dataclass
class _Cache:
    metadata: dict[str, Any] | None = None
    metadata_at: float = 0.0
    jwks: dict[str, Any] | None = None
    jwks_forced_at: float = float("-inf")
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class OidcClient:
    def __init__(
        self, config: OidcConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._transport = transport
        self._cache = _Cache()

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.config.timeout_seconds, transport=self._transport)

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with self._http() as client:
                response = await client.get(url)
        except httpx.HTTPError as error:
            raise OidcError(f"cannot reach {url}: {error}") from error
        if response.status_code != 200:
            raise OidcError(f"{url} answered {response.status_code}")
        try:
            data = response.json()
        except ValueError as error:
            raise OidcError(f"{url} did not answer JSON") from error
        if not isinstance(data, dict):
            raise OidcError(f"{url} did not answer a JSON object")
        return data

    async def metadata(self) -> dict[str, Any]:
        cache = self._cache
        if cache.metadata is None or time.monotonic() - cache.metadata_at > METADATA_TTL:
            async with cache.lock:
                if cache.metadata is None or time.monotonic() - cache.metadata_at > METADATA_TTL:
                    data = await self._get_json(self.config.discovery_url)
                    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
                        if not isinstance(data.get(key), str):
                            raise OidcError(f"discovery document has no {key}")
                    cache.metadata, cache.metadata_at = data, time.monotonic()
        assert cache.metadata is not None
        return cache.metadata

    async def _jwks(self, *, refresh: bool = False) -> dict[str, Any]:
        cache = self._cache
        # An unknown kid refetches, but at most once a minute: a flood of tokens naming
        # made-up kids must not turn into a flood of requests to the provider.
        forced = refresh and time.monotonic() - cache.jwks_forced_at > JWKS_REFETCH_AFTER
        if cache.jwks is None or forced:
            metadata = await self.metadata()
            cache.jwks = await self._get_json(metadata["jwks_uri"])
            if forced:
                cache.jwks_forced_at = time.monotonic()
        assert cache.jwks is not None
        return cache.jwks

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(("openid", *self.config.scopes)))

    async def begin(
        self, redirect_uri: str, extra: Sequence[tuple[str, str]] = ()
    ) -> tuple[str, FlowState]:
        """The provider URL to send the browser to, and the state to keep for the callback."""
        from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        metadata = await self.metadata()
        flow = FlowState(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),  # 86 characters: RFC 7636 allows 43-128
            redirect_uri=redirect_uri,
        )
        url = prepare_grant_uri(
            metadata["authorization_endpoint"],
            client_id=self.config.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=" ".join(self.scopes),
            state=flow.state,
            nonce=flow.nonce,
            code_challenge=create_s256_code_challenge(flow.code_verifier),
            code_challenge_method="S256",
            **dict(extra),
        )
        return str(url), flow

    async def complete(self, code: str, flow: FlowState) -> dict[str, Any]:
        """Exchange ``code`` (with the PKCE verifier) and return the verified ID token's claims."""
        from authlib.oauth2.rfc6749.parameters import prepare_token_request

        metadata = await self.metadata()
        body = prepare_token_request(
            "authorization_code",
            code=code,
            redirect_uri=flow.redirect_uri,
            code_verifier=flow.code_verifier,
            client_id=self.config.client_id,
            client_secret=self.config.client_secret,  # client_secret_post, which Google takes
        )
        try:
            async with self._http() as client:
                response = await client.post(
                    metadata["token_endpoint"],
                    content=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/json",
                    },
                )
        except httpx.HTTPError as error:
            raise OidcError(f"token endpoint unreachable: {error}") from error
        try:
            token = response.json()
        except ValueError:
            token = None
        if response.status_code != 200 or not isinstance(token, dict):
            detail = token.get("error") if isinstance(token, dict) else response.status_code
            raise OidcError(f"code exchange refused: {detail}")
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("token response has no id_token")
        access_token = token.get("access_token")
        return await self.verify_id_token(
            id_token, flow.nonce, access_token if isinstance(access_token, str) else None
        )

    async def verify_id_token(
        self, id_token: str, nonce: str, access_token: str | None = None
    ) -> dict[str, Any]:
        from authlib.oidc.core import CodeIDToken
        from joserfc import jwt
        from joserfc.errors import InvalidKeyIdError, JoseError
        from joserfc.jwk import KeySet

        metadata = await self.metadata()
        advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [alg for alg in advertised if alg in SAFE_ALGORITHMS] or ["RS256"]

        async def decode(refresh: bool) -> Any:
            keys = KeySet.import_key_set(await self._jwks(refresh=refresh))  # type: ignore[arg-type]
            return jwt.decode(id_token, keys, algorithms=algorithms)

        try:
            try:
                decoded = await decode(refresh=False)
            except InvalidKeyIdError:
                decoded = await decode(refresh=True)  # the provider may have rotated its keys
        except (JoseError, ValueError) as error:
            raise OidcError(f"ID token signature refused: {error}") from error

        issuers = [metadata["issuer"], *self.config.issuer_aliases]
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": issuers},
                "aud": {"essential": True, "value": self.config.client_id},
                "sub": {"essential": True},
            },
            {"nonce": nonce, "client_id": self.config.client_id, "access_token": access_token},
        )
        try:
            claims.validate(leeway=self.config.leeway_seconds)
        except JoseError as error:
            raise OidcError(f"ID token claims refused: {error}") from error
        # CodeIDToken checks the nonce only when one was sent; we always send one.
        if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(
            claims["nonce"], nonce
        ):
            raise OidcError("ID token nonce does not match")
        return dict(claims)

"""Sign in with Google: OpenID Connect code flow (``oidc.py``) and account resolution.

``GET /auth/google/login`` keeps ``state``, ``nonce`` and the PKCE verifier in a signed,
HttpOnly cookie scoped to ``/auth/google`` (10 minutes) and redirects to Google.
``GET /auth/google/callback`` checks ``state`` against the cookie, exchanges the code and
verifies the ID token, then finds the account:

1. a Google identity with this ``sub``: that user;
2. else, when Google says the address is verified, the user with that address: the
   Google identity is linked to it. An email identity that was never verified is
   deleted first (whoever created it never proved the mailbox: "pre-hijacking");
3. else a new user from ``userSignupFields`` (data: ``{"profile": claims, "email",
   "email_verified"}``), its address set when the entity has an ``email`` field.

Then the second factor when the user enabled it (redirect to the 2FA page with a
pending-sign-in cookie), else a session cookie and a redirect to
``onAuthSucceededRedirectTo``. Any failure redirects to ``onAuthFailedRedirectTo``
with ``?error=google`` and logs why; nothing about the failure reaches the browser.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sentinel_spec.runtime.auth import hooks
from sentinel_spec.runtime.auth.config import TWO_FACTOR_PAGE, GoogleMethod
from sentinel_spec.runtime.auth.hooks import OAuthInfo, ProviderId
from sentinel_spec.runtime.auth.identities import EMAIL, GOOGLE
from sentinel_spec.runtime.auth.oidc import FlowState, OidcClient, OidcConfig, OidcError
from sentinel_spec.runtime.auth.service import AuthService
from sentinel_spec.runtime.auth.signed import Signer
from sentinel_spec.runtime.auth.users import EMAIL_VERIFIED, normalize_email
from sentinel_spec.runtime.errors import HttpError

if TYPE_CHECKING:
    from sentinel_spec.runtime.auth.routes import AuthRoutes

log = logging.getLogger("sentinel.auth")
security_log = logging.getLogger("sentinel.security")

FLOW_COOKIE = "sentinel_oauth_google"
FLOW_PATH = "/auth/google"
FLOW_SECONDS = 600
CALLBACK_PATH = "/auth/google/callback"


class GoogleRefused(Exception):
    """The callback cannot sign anyone in; ``reason`` goes to the log only."""


class GoogleLogin:
    def __init__(
        self,
        service: AuthService,
        method: GoogleMethod,
        *,
        issuer_aliases: tuple[str, ...] = (),
        transport: Any = None,
    ) -> None:
        self.service = service
        self.method = method
        self.config = service.config
        self.signer = Signer(service.config.keys, "oauth-google")
        self._issuer_aliases = issuer_aliases
        self._transport = transport
        self._client: OidcClient | None = None

    async def client(self) -> OidcClient:
        if self._client is None:
            scopes: tuple[str, ...] = ("openid", "email", "profile")
            if self.method.config_fn is not None:
                produced = await hooks.call(self.method.config_fn)
                wanted = produced.get("scopes") if isinstance(produced, dict) else None
                if not isinstance(wanted, list | tuple) or not all(
                    isinstance(s, str) for s in wanted
                ):
                    raise TypeError('google.configFn must return {"scopes": ["openid", ...]}')
                scopes = tuple(wanted)
            self._client = OidcClient(
                OidcConfig(
                    discovery_url=self.method.discovery_url,
                    client_id=self.method.client_id,
                    client_secret=self.method.client_secret,
                    scopes=scopes,
                    issuer_aliases=self._issuer_aliases,
                ),
                transport=self._transport,
            )
        return self._client

    @property
    def redirect_uri(self) -> str:
        return f"{self.config.app_url}{CALLBACK_PATH}"

    # ------------------------------------------------------------ the two routes

    async def login(self, request: Request) -> Response:
        client = await self.client()
        try:
            url, flow = await client.begin(self.redirect_uri)
        except OidcError as error:
            log.warning("Google sign-in unavailable: %s", error.reason)
            raise HttpError(503, "Google sign-in is unavailable right now") from None
        response = RedirectResponse(url, status_code=302)
        response.set_cookie(
            FLOW_COOKIE,
            self.signer.dumps(flow.as_dict(), FLOW_SECONDS),
            max_age=FLOW_SECONDS,
            path=FLOW_PATH,
            httponly=True,
            secure=self.config.cookie_secure,
            samesite="lax",  # sent on Google's top-level redirect back to us
        )
        return response

    async def callback(self, request: Request, routes: AuthRoutes) -> Response:
        try:
            claims = await self._verified_claims(request)
            return await self._sign_in(request, routes, claims)
        except GoogleRefused as refused:
            log.warning("Google sign-in refused: %s", refused)
            return self._failed()
        except HttpError as error:  # a hook refused the sign-in, or a limit was hit
            log.warning("Google sign-in refused: %s %s", error.status, error.message)
            return self._failed()

    def _failed(self) -> Response:
        target = self.config.on_auth_failed_redirect_to
        separator = "&" if "?" in target else "?"
        response = RedirectResponse(f"{target}{separator}{urlencode({'error': 'google'})}", 302)
        response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
        return response

    async def _verified_claims(self, request: Request) -> dict[str, Any]:
        params = request.query_params
        if "error" in params:
            raise GoogleRefused(f"the provider answered error={params['error']!r}")
        flow = FlowState.from_dict(self.signer.loads(request.cookies.get(FLOW_COOKIE)))
        if flow is None:
            raise GoogleRefused("no valid flow cookie (expired, tampered, or another browser)")
        state, code = params.get("state"), params.get("code")
        if not isinstance(state, str) or not secrets.compare_digest(state, flow.state):
            raise GoogleRefused("state does not match the flow cookie")
        if not code:
            raise GoogleRefused("no code in the callback")
        try:
            return await (await self.client()).complete(code, flow)
        except OidcError as error:
            raise GoogleRefused(error.reason) from None

    async def _sign_in(
        self, request: Request, routes: AuthRoutes, claims: dict[str, Any]
    ) -> Response:
        from sentinel_spec.runtime.auth.routes import PENDING_COOKIE

        service = self.service
        async with service.host.unit_of_work() as scope:
            db = scope.session
            user = await self._account(db, scope, request, claims)
            provider = ProviderId(GOOGLE, str(claims["sub"]))
            if await service.two_factor.is_enabled(db, user.id):
                pending = await service.begin_pending_login(db, user.id)
                response: Response = RedirectResponse(TWO_FACTOR_PAGE, status_code=302)
                response.set_cookie(
                    PENDING_COOKIE,
                    pending,
                    max_age=300,
                    path="/auth",
                    httponly=True,
                    secure=self.config.cookie_secure,
                    samesite="lax",
                )
            else:
                signed = await service.sign_in(
                    db, scope, request, user, provider, oauth=OAuthInfo(GOOGLE, claims)
                )
                response = RedirectResponse(self.config.on_auth_succeeded_redirect_to, 302)
                routes.set_session_cookie(response, signed.session_token)
        response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
        return response

    async def _account(self, db: Any, scope: Any, request: Request, claims: dict[str, Any]) -> Any:
        service = self.service
        sub = str(claims["sub"])
        identity = await service.identities.find(db, GOOGLE, sub)
        if identity is not None:
            user = await service.users.get(db, identity.user_id)
            if user is None:
                raise GoogleRefused("identity without a user")
            return user

        raw_email = claims.get("email")
        email = normalize_email(raw_email) if isinstance(raw_email, str) and raw_email else None
        verified = claims.get("email_verified") is True
        now = service.sessions.clock()
        oauth = OAuthInfo(GOOGLE, claims)
        provider = ProviderId(GOOGLE, sub)

        existing = None
        if email is not None:
            email_identity = await service.identities.find(db, EMAIL, email)
            if email_identity is not None:
                existing = await service.users.get(db, email_identity.user_id)
            else:
                existing = await service.users.by_email(db, email)
            if existing is not None and not verified:
                raise GoogleRefused(f"{email} belongs to an account and Google has not verified it")
            if (
                existing is not None
                and email_identity is not None
                and email_identity.verified_at is None
            ):
                await service.identities.delete(db, email_identity.id)
                security_log.warning(
                    "unverified email identity removed when Google proved the address",
                    extra={"event": "auth.unverified_identity_replaced", "user_id": existing.id},
                )
        if existing is not None:
            await service.identities.create(db, existing.id, GOOGLE, sub, verified_at=now)
            service.users.mirror(existing, EMAIL_VERIFIED, True)
            return existing

        if service.users.has_email and (email is None or not verified):
            raise GoogleRefused("Google gave no verified address for a new account")
        data = {"profile": dict(claims), "email": email, "email_verified": verified}
        await service.hook("on_before_signup", request, scope, provider_id=provider, data=data)
        fields = await hooks.signup_fields(self.method.user_signup_fields, data)
        user = service.users.new(fields, email if verified else None)
        if verified:
            service.users.mirror(user, EMAIL_VERIFIED, True)
        db.add(user)
        await db.flush()
        await service.identities.create(db, user.id, GOOGLE, sub, verified_at=now)
        await service.hook(
            "on_after_signup", request, scope, provider_id=provider, user=user, oauth=oauth
        )
        return user

"""The JSON routes of RUNTIME.md's Auth table (and three additions documented in
docs/auth.md: resend-verification, the pending 2FA step, new backup codes).

Bodies must be JSON (``application/json``): another site's HTML form cannot send that
without a CORS preflight, which is what keeps these routes safe from cross-site
requests. Every answer is JSON; every error is the runtime's error shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sentinel_spec.runtime.auth.authenticator import (
    SESSION_COOKIE,
    AuthState,
    SessionAuthenticator,
    auth_state,
)
from sentinel_spec.runtime.auth.email_password import EmailPasswordAuth
from sentinel_spec.runtime.auth.service import AuthService, SignedIn
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.http.calls import guarded
from sentinel_spec.runtime.serialization import dumps

Endpoint = Callable[[Request], Awaitable[Response]]
PENDING_COOKIE = "sentinel_2fa_pending"


def json_response(value: Any, status: int = 200) -> Response:
    return Response(dumps(value), status_code=status, media_type="application/json")


async def read_json(request: Request) -> Any:
    """The JSON body (``{}`` when empty); 415 for any other content type (the operations'
    reader, so both refuse the same bodies the same way)."""
    from sentinel_spec.runtime.http.operations import read_args

    body = await read_args(request)
    return {} if body is None else body


class AuthRoutes:
    """The endpoints, by the route plan's names (``contract.routes.auth_routes``)."""

    def __init__(
        self,
        service: AuthService,
        authenticator: SessionAuthenticator,
        email: EmailPasswordAuth | None,
        google: Any,
    ) -> None:
        self.service = service
        self.authenticator = authenticator
        self.email = email
        self.google = google
        self.config = service.config

    # ------------------------------------------------------------ helpers

    def set_session_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=self.config.timeouts.absolute_seconds,
            path="/",
            httponly=True,
            secure=self.config.cookie_secure,
            samesite="lax",
        )

    def clear_session_cookie(self, response: Response) -> None:
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            httponly=True,
            secure=self.config.cookie_secure,
            samesite="lax",
        )

    def signed_in(self, signed: SignedIn, status: int = 200) -> Response:
        response = json_response(
            {
                "sessionId": signed.session_token,
                "refreshToken": signed.refresh_token,
                "user": signed.user,
            },
            status,
        )
        self.set_session_cookie(response, signed.session_token)
        return response

    async def signed_in_state(self, request: Request) -> AuthState:
        user = await self.authenticator.authenticate(request)
        state = auth_state(request)
        if user is None or state is None:
            raise HttpError(401)
        return state

    def _email(self) -> EmailPasswordAuth:
        if self.email is None:  # the route plan only mounts these with email auth
            raise HttpError(404)
        return self.email

    # ------------------------------------------------------------ email / password

    async def email_signup(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            await self._email().signup(scope.session, scope, request, body)
        return json_response({}, 201)

    async def email_verify(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            await self._email().verify_email(scope.session, scope, request, body)
        return json_response({})

    async def email_resend_verification(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            await self._email().resend_verification(scope.session, scope, request, body)
        return json_response({})

    async def email_login(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            signed = await self._email().login(scope.session, scope, request, body)
            response = self.signed_in(signed)
        return response

    async def email_request_reset(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            await self._email().request_reset(scope.session, scope, request, body)
        return json_response({})

    async def email_reset_password(self, request: Request) -> Response:
        body = await read_json(request)
        async with self.service.host.unit_of_work() as scope:
            await self._email().reset_password(scope.session, scope, request, body)
        return json_response({})

    # ------------------------------------------------------------ sessions

    async def refresh(self, request: Request) -> Response:
        body = await read_json(request)
        token = body.get("refreshToken") if isinstance(body, dict) else None
        async with self.service.host.unit_of_work() as scope:
            outcome = await self.service.refresh(scope.session, scope, request, token)
            response = None if isinstance(outcome, HttpError) else self.signed_in(outcome)
        if isinstance(outcome, HttpError):
            raise outcome  # only now: the family's revocation had to commit first
        assert response is not None
        return response

    async def logout(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        body = await read_json(request)
        everywhere = isinstance(body, dict) and body.get("all") is True
        async with self.service.host.unit_of_work() as scope:
            await self.service.logout(scope.session, state.user, state.session, everywhere)
        response = json_response({})
        self.clear_session_cookie(response)
        return response

    async def me(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        return json_response(state.user)

    async def sessions(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        async with self.service.host.unit_of_work() as scope:
            records = await self.service.sessions.list_live(scope.session, state.user.id)
        return json_response([r.public(current_id=state.session.id) for r in records])

    async def end_session(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        session_id = str(request.path_params.get("sessionId", ""))
        async with self.service.host.unit_of_work() as scope:
            await self.service.end_session(scope.session, state.user, session_id)
        response = json_response({})
        if session_id == state.session.id:
            self.clear_session_cookie(response)
        return response

    # ------------------------------------------------------------ two-factor

    async def two_factor_setup(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        async with self.service.host.unit_of_work() as scope:
            info = await self.service.setup_two_factor(scope.session, state.user)
        return json_response(info.public())

    async def two_factor_enable(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        body = await read_json(request)
        code = body.get("code") if isinstance(body, dict) else None
        async with self.service.host.unit_of_work() as scope:
            codes = await self.service.enable_two_factor(scope.session, state.user, code)
        return json_response({"backupCodes": codes})

    async def two_factor_disable(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        body = await read_json(request)
        body = body if isinstance(body, dict) else {}
        async with self.service.host.unit_of_work() as scope:
            await self.service.disable_two_factor(
                scope.session, state.user, body.get("password"), body.get("code")
            )
        return json_response({})

    async def two_factor_backup_codes(self, request: Request) -> Response:
        state = await self.signed_in_state(request)
        body = await read_json(request)
        code = body.get("code") if isinstance(body, dict) else None
        async with self.service.host.unit_of_work() as scope:
            codes = await self.service.new_backup_codes(scope.session, state.user, code)
        return json_response({"backupCodes": codes})

    async def two_factor_verify(self, request: Request) -> Response:
        """The second step of a sign-in that stopped for a code (Google, the pages):
        ``{code, pendingToken?}``; the pending token also travels in a cookie."""
        body = await read_json(request)
        body = body if isinstance(body, dict) else {}
        token = body.get("pendingToken") or request.cookies.get(PENDING_COOKIE)
        async with self.service.host.unit_of_work() as scope:
            signed = await self.service.complete_pending_login(
                scope.session, scope, request, token, body.get("code")
            )
            response = self.signed_in(signed)
        response.delete_cookie(PENDING_COOKIE, path="/auth")
        return response

    # ------------------------------------------------------------ Google

    def _google_missing(self) -> HttpError:
        return HttpError(
            503, "Google sign-in is not configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"
        )

    async def google_login(self, request: Request) -> Response:
        if self.google is None:
            raise self._google_missing()
        response: Response = await self.google.login(request)
        return response

    async def google_callback(self, request: Request) -> Response:
        if self.google is None:
            raise self._google_missing()
        response: Response = await self.google.callback(request, self)
        return response

    # ------------------------------------------------------------ the plan's names

    def endpoints(self) -> dict[str, Endpoint]:
        table: dict[str, Endpoint] = {
            "emailSignup": self.email_signup,
            "emailVerify": self.email_verify,
            "emailResendVerification": self.email_resend_verification,
            "emailLogin": self.email_login,
            "emailRequestReset": self.email_request_reset,
            "emailResetPassword": self.email_reset_password,
            "googleLogin": self.google_login,
            "googleCallback": self.google_callback,
            "refresh": self.refresh,
            "logout": self.logout,
            "me": self.me,
            "sessions": self.sessions,
            "endSession": self.end_session,
            "twoFactorSetup": self.two_factor_setup,
            "twoFactorEnable": self.two_factor_enable,
            "twoFactorDisable": self.two_factor_disable,
            "twoFactorBackupCodes": self.two_factor_backup_codes,
            "twoFactorVerify": self.two_factor_verify,
        }
        return {name: guarded(f"auth route {name}", handler) for name, handler in table.items()}

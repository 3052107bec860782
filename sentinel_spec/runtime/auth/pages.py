"""The built-in auth pages: plain HTML forms that work without JavaScript.

- ``/auth/login``: email + password (+ Google); 2FA users go on to ``/auth/two-factor``
- ``/auth/signup``: email + password (+ the template's extra fields); "check your inbox"
- ``/auth/verify-email?token=``: a confirm button (GET alone never uses the token up:
  mail scanners follow links), its POST verifies the address
- ``/auth/forgot-password``: mails a reset link (the same answer for every address)
- ``/auth/reset-password?token=``: a new password; ends every session
- ``/auth/two-factor``: the code (TOTP or backup) that finishes a pending sign-in
- ``/auth/security`` (signed in): 2FA set-up / enable / disable, sessions, sign out

Templates ``auth/pages/<name>.html`` in the app's templates folder replace ours.

Form posts are CSRF-checked twice: the ``Origin`` (or ``Referer``) must be this server,
``APP_URL`` or a CORS origin, and the hidden ``csrf_token`` must be the signed form of
the ``sentinel_csrf`` cookie the GET set (double submit). The session cookie itself is
SameSite=Lax, so other sites' forms never carry it anyway.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from sentinel_spec.runtime.auth import templating
from sentinel_spec.runtime.auth.authenticator import auth_state, cross_site
from sentinel_spec.runtime.auth.config import (
    FORGOT_PAGE,
    LOGIN_PAGE,
    RESET_PAGE,
    SECURITY_PAGE,
    SIGNUP_PAGE,
    TWO_FACTOR_PAGE,
    VERIFY_PAGE,
)
from sentinel_spec.runtime.auth.signed import Signer
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.http.calls import guarded

CSRF_COOKIE = "sentinel_csrf"
CSRF_FIELD = "csrf_token"
CSRF_SECONDS = 2 * 3600
PENDING_SECONDS = 300

Endpoint = Callable[[Request], Awaitable[Response]]


def safe_next(value: object, default: str) -> str:
    """A local path to go on to after signing in; anything else (``//evil``) is ignored."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return default


class AuthPages:
    def __init__(self, routes: Any) -> None:
        from sentinel_spec.runtime.auth.routes import AuthRoutes

        self.routes: AuthRoutes = routes
        self.service = routes.service
        self.config = routes.config
        self.csrf = Signer(self.config.keys, "csrf")

    # ------------------------------------------------------------ rendering

    def _csrf_cookie(self, request: Request) -> tuple[str, bool]:
        current = request.cookies.get(CSRF_COOKIE)
        if current and 20 <= len(current) <= 64:
            return current, False
        return secrets.token_urlsafe(24), True

    def render(
        self,
        request: Request,
        page: str,
        status: int = 200,
        **data: Any,
    ) -> Response:
        cookie, fresh = self._csrf_cookie(request)
        user = data.pop("user", None)
        state = auth_state(request)
        values = {
            "app_title": self.config.app_name,
            "csrf_field": CSRF_FIELD,
            "csrf_token": self.csrf.dumps(cookie, CSRF_SECONDS),
            "paths": {
                "login": LOGIN_PAGE,
                "signup": SIGNUP_PAGE,
                "verify": VERIFY_PAGE,
                "forgot": FORGOT_PAGE,
                "reset": RESET_PAGE,
                "two_factor": TWO_FACTOR_PAGE,
                "security": SECURITY_PAGE,
                "google": "/auth/google/login",
            },
            "email_enabled": self.routes.email is not None,
            "google_enabled": self.routes.google is not None,
            "two_factor_enabled": self.config.two_factor is not None,
            "policy": self.config.policy.describe(),
            "user": user if user is not None else (state.user if state else None),
            "error": None,
            "message": None,
            "form": {},
            "setup": None,
            "backup_codes": None,
            "enabled": False,
            "remaining_codes": 0,
            "sessions": [],
            **data,
        }
        html = templating.render(self.config.templates_dir, f"pages/{page}.html", **values)
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        if fresh:
            response.set_cookie(
                CSRF_COOKIE,
                cookie,
                max_age=CSRF_SECONDS,
                path="/",
                httponly=True,
                secure=self.config.cookie_secure,
                samesite="lax",
            )
        return response

    async def form(self, request: Request) -> dict[str, str]:
        """The posted form, after both CSRF checks (403 otherwise)."""
        if cross_site(request, self.routes.authenticator.trusted_origins):
            raise HttpError(403, "Cross-site form refused")
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            raise HttpError(415, "Expected a form")
        raw = await request.form()
        fields = {k: v for k, v in raw.items() if isinstance(v, str)}
        cookie = request.cookies.get(CSRF_COOKIE)
        signed = self.csrf.loads(fields.pop(CSRF_FIELD, None))
        if not cookie or not isinstance(signed, str) or not secrets.compare_digest(signed, cookie):
            raise HttpError(403, "The form has expired; reload the page and try again")
        return fields

    def _error_page(self, request: Request, page: str, error: HttpError, **data: Any) -> Response:
        response = self.render(request, page, status=error.status, error=error, **data)
        if error.headers:
            response.headers.update(error.headers)
        return response

    def _cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/auth",
            httponly=True,
            secure=self.config.cookie_secure,
            samesite="lax",
        )

    # ------------------------------------------------------------ pages

    async def login(self, request: Request) -> Response:
        next_path = safe_next(
            request.query_params.get("next"), self.config.on_auth_succeeded_redirect_to
        )
        if request.method == "GET":
            error = "google" if request.query_params.get("error") == "google" else None
            return self.render(request, "login", next=next_path, google_error=error)
        fields = await self.form(request)
        next_path = safe_next(fields.pop("next", None), self.config.on_auth_succeeded_redirect_to)
        email = self.routes.email
        if email is None:
            raise HttpError(404)
        form = {"email": fields.get("email", "")}
        try:
            async with self.service.host.unit_of_work() as scope:
                db = scope.session
                user, provider = await email.check_password(db, request, fields)
                if await self.service.two_factor.is_enabled(db, user.id):
                    pending = await self.service.begin_pending_login(db, user.id)
                    response: Response = RedirectResponse(
                        f"{TWO_FACTOR_PAGE}?{urlencode({'next': next_path})}", status_code=303
                    )
                    self._cookie(response, "sentinel_2fa_pending", pending, PENDING_SECONDS)
                    return response
                signed = await self.service.sign_in(db, scope, request, user, provider)
        except HttpError as error:
            return self._error_page(request, "login", error, form=form, next=next_path)
        response = RedirectResponse(next_path, status_code=303)
        self.routes.set_session_cookie(response, signed.session_token)
        return response

    async def two_factor(self, request: Request) -> Response:
        from sentinel_spec.runtime.auth.routes import PENDING_COOKIE

        next_path = safe_next(
            request.query_params.get("next"), self.config.on_auth_succeeded_redirect_to
        )
        if request.method == "GET":
            return self.render(request, "two-factor", next=next_path)
        fields = await self.form(request)
        next_path = safe_next(fields.pop("next", None), self.config.on_auth_succeeded_redirect_to)
        try:
            async with self.service.host.unit_of_work() as scope:
                signed = await self.service.complete_pending_login(
                    scope.session,
                    scope,
                    request,
                    request.cookies.get(PENDING_COOKIE),
                    fields.get("code"),
                )
        except HttpError as error:
            return self._error_page(request, "two-factor", error, next=next_path)
        response = RedirectResponse(next_path, status_code=303)
        response.delete_cookie(PENDING_COOKIE, path="/auth")
        self.routes.set_session_cookie(response, signed.session_token)
        return response

    async def signup(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "signup")
        fields = await self.form(request)
        email = self.routes.email
        if email is None:
            raise HttpError(404)
        form = {k: v for k, v in fields.items() if k != "password"}
        try:
            async with self.service.host.unit_of_work() as scope:
                await email.signup(scope.session, scope, request, fields)
        except HttpError as error:
            return self._error_page(request, "signup", error, form=form)
        return self.render(request, "signup-done", status=201, email=fields.get("email", ""))

    async def verify_email(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "verify-email", token=request.query_params.get("token", ""))
        fields = await self.form(request)
        email = self.routes.email
        if email is None:
            raise HttpError(404)
        try:
            async with self.service.host.unit_of_work() as scope:
                await email.verify_email(scope.session, scope, request, fields)
        except HttpError as error:
            return self._error_page(request, "verify-email", error, token="")
        return self.render(request, "verify-email", verified=True, token="")

    async def forgot_password(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "forgot-password")
        fields = await self.form(request)
        email = self.routes.email
        if email is None:
            raise HttpError(404)
        try:
            async with self.service.host.unit_of_work() as scope:
                await email.request_reset(scope.session, scope, request, fields)
        except HttpError as error:
            return self._error_page(request, "forgot-password", error, form=fields)
        return self.render(request, "forgot-password", sent=True)

    async def reset_password(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(
                request, "reset-password", token=request.query_params.get("token", "")
            )
        fields = await self.form(request)
        email = self.routes.email
        if email is None:
            raise HttpError(404)
        try:
            async with self.service.host.unit_of_work() as scope:
                await email.reset_password(scope.session, scope, request, fields)
        except HttpError as error:
            return self._error_page(request, "reset-password", error, token=fields.get("token", ""))
        response = self.render(request, "reset-password", done=True, token="")
        self.routes.clear_session_cookie(response)
        return response

    async def security(self, request: Request) -> Response:
        user = await self.routes.authenticator.authenticate(request)
        state = auth_state(request)
        if user is None or state is None:
            return RedirectResponse(f"{LOGIN_PAGE}?next={SECURITY_PAGE}", status_code=303)
        service = self.service
        if request.method == "GET":
            return await self._security_page(request, user, state)
        fields = await self.form(request)
        action = fields.get("action")
        try:
            async with service.host.unit_of_work() as scope:
                db = scope.session
                if action == "2fa-setup":
                    info = await service.setup_two_factor(db, user)
                    return self.render(request, "security", setup=info, enabled=False, sessions=[])
                if action == "2fa-enable":
                    codes = await service.enable_two_factor(db, user, fields.get("code"))
                    return self.render(
                        request, "security", backup_codes=codes, enabled=True, sessions=[]
                    )
                if action == "2fa-disable":
                    await service.disable_two_factor(
                        db, user, fields.get("password"), fields.get("code")
                    )
                elif action == "logout":
                    await service.logout(db, user, state.session, fields.get("all") == "1")
                    response: Response = RedirectResponse(LOGIN_PAGE, status_code=303)
                    self.routes.clear_session_cookie(response)
                    return response
                elif action == "end-session":
                    await service.end_session(db, user, fields.get("session", ""))
                else:
                    raise HttpError(400, "Unknown action")
        except HttpError as error:
            return await self._security_page(request, user, state, error=error)
        return RedirectResponse(SECURITY_PAGE, status_code=303)

    async def _security_page(
        self, request: Request, user: Any, state: Any, error: HttpError | None = None
    ) -> Response:
        async with self.service.host.unit_of_work() as scope:
            db = scope.session
            enabled = await self.service.two_factor.is_enabled(db, user.id)
            sessions = await self.service.sessions.list_live(db, user.id)
            remaining = (
                await self.service.two_factor.remaining_backup_codes(db, user.id) if enabled else 0
            )
        return self.render(
            request,
            "security",
            status=error.status if error else 200,
            error=error,
            enabled=enabled,
            remaining_codes=remaining,
            sessions=[s.public(current_id=state.session.id) for s in sessions],
            setup=None,
            backup_codes=None,
        )

    # ------------------------------------------------------------ mounting

    def endpoints(self) -> dict[str, Endpoint]:
        table: Mapping[str, Endpoint] = {
            LOGIN_PAGE: self.login,
            TWO_FACTOR_PAGE: self.two_factor,
            SECURITY_PAGE: self.security,
        }
        if self.routes.email is not None:
            table = {
                **table,
                SIGNUP_PAGE: self.signup,
                VERIFY_PAGE: self.verify_email,
                FORGOT_PAGE: self.forgot_password,
                RESET_PAGE: self.reset_password,
            }
        return {path: guarded(f"auth page {path}", handler) for path, handler in table.items()}

    async def page_for_route(self, name: str, request: Request) -> Response:
        """A built-in page served at the app's own route (``auth_page(...)``)."""
        handlers = {
            "login": self.login,
            "signup": self.signup,
            "verify-email": self.verify_email,
            "forgot-password": self.forgot_password,
            "reset-password": self.reset_password,
            "two-factor": self.two_factor,
            "security": self.security,
        }
        if name not in handlers:
            raise ValueError(f"no built-in auth page {name!r}; pick one of {', '.join(handlers)}")
        return await handlers[name](request)

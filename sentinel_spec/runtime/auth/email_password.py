"""Email and password: signup, address verification, login, password reset.

None of these answers says whether an address has an account: a signup for a taken
address answers 201 like any other (and mails the owner instead), a login for an
unknown address spends one Argon2 verification like a real one and answers the same
401, a reset request answers 200 either way. Limits are keyed on what the client
sent, never on whether it exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from sentinel_spec.runtime.auth import emails, hooks
from sentinel_spec.runtime.auth.config import EmailMethod
from sentinel_spec.runtime.auth.hooks import ProviderId
from sentinel_spec.runtime.auth.identities import EMAIL
from sentinel_spec.runtime.auth.one_time import RESET_PASSWORD, VERIFY_EMAIL
from sentinel_spec.runtime.auth.service import AuthService, SignedIn, ip_budget
from sentinel_spec.runtime.auth.users import EMAIL_VERIFIED, email_problem, normalize_email
from sentinel_spec.runtime.errors import HttpError

INVALID_CREDENTIALS = "Invalid email or password"
INVALID_TOKEN = "This link is invalid or has expired"


def _invalid(details: list[dict[str, Any]]) -> HttpError:
    return HttpError(400, "Invalid signup", details, code="validation_error")


def _text(value: object) -> str:
    """A string field, or "" (which no token matches) for anything else."""
    return value if isinstance(value, str) else ""


def _body(body: object) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise HttpError(400, "Expected a JSON object", code="validation_error")
    return body


class EmailPasswordAuth:
    def __init__(self, service: AuthService, method: EmailMethod) -> None:
        self.service = service
        self.method = method
        self.config = service.config

    # ------------------------------------------------------------ mail

    async def _send(self, scope: Any, to: str, content: emails.MailContent) -> None:
        mailer = self.service.host.mailer(scope)
        if mailer is None:  # the analyzer requires emailSender with email auth
            raise RuntimeError("email auth needs app.emailSender, and no mailer is installed")
        await mailer.send(
            to=to,
            subject=content.subject,
            text=content.text,
            html=content.html,
            from_=emails.sender(self.method),
        )

    async def _send_verification(self, db: AsyncSession, scope: Any, user: Any, email: str) -> None:
        token = await self.service.one_time.issue(db, user.id, VERIFY_EMAIL)
        content = await emails.verification(self.config, self.method, user, email, token)
        await self._send(scope, email, content)

    # ------------------------------------------------------------ signup

    async def signup(self, db: AsyncSession, scope: Any, conn: HTTPConnection, raw: object) -> None:
        body = _body(raw)
        service = self.service
        problems: list[dict[str, Any]] = []
        email_error = email_problem(body.get("email"))
        if email_error:
            problems.append({"field": "email", "message": email_error})
        password = body.get("password")
        if not isinstance(password, str):
            problems.append({"field": "password", "message": "Password is required"})
        else:
            problems.extend(dict(d) for d in self.config.policy.violations(password))
        if problems:
            raise _invalid(problems)
        assert isinstance(password, str)
        email = normalize_email(str(body["email"]))
        await service.guard.hit(self.config.limits.signup_per_ip, "signup-ip", ip_budget(conn))

        data = {k: v for k, v in body.items() if k != "password"}
        provider = ProviderId(EMAIL, email)
        await service.hook("on_before_signup", conn, scope, provider_id=provider, data=data)
        fields = await hooks.signup_fields(self.method.user_signup_fields, data)

        taken = await service.identities.find(db, EMAIL, email) is not None or (
            await service.users.by_email(db, email) is not None
        )
        if taken:
            # Same work, same answer: hash the password as a signup would, then tell the
            # owner of the address (at most a few times an hour) instead of creating anything.
            await service.hasher.hash_async(password)
            try:
                await service.guard.hit(self.config.limits.mail_per_account, "mail", email)
            except HttpError:
                return
            await self._send(scope, email, emails.already_registered(self.config))
            return

        password_hash = await service.hasher.hash_async(password)
        user = service.users.new(fields, email)
        db.add(user)
        try:
            await db.flush()
        except sa_exc.IntegrityError:
            # Another unique field of the user (a username...) is taken.
            raise HttpError(409, "A user with these details already exists") from None
        await service.identities.create(db, user.id, EMAIL, email, password_hash=password_hash)
        await self._send_verification(db, scope, user, email)
        await service.hook(
            "on_after_signup", conn, scope, provider_id=provider, user=user, oauth=None
        )

    # ------------------------------------------------------------ verification

    async def verify_email(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection | None, raw: object
    ) -> Any:
        body = _body(raw)
        service = self.service
        await service.guard.hit(self.config.limits.token_per_ip, "token-ip", ip_budget(conn))
        user_id = await service.one_time.consume(db, _text(body.get("token")), VERIFY_EMAIL)
        user = None if user_id is None else await service.users.get(db, user_id)
        identity = None if user is None else await service.identities.of_user(db, user.id, EMAIL)
        if user is None or identity is None:
            raise HttpError(400, INVALID_TOKEN)
        await service.identities.mark_verified(db, identity.id, service.sessions.clock())
        service.users.mirror(user, EMAIL_VERIFIED, True)
        await db.flush()
        await service.hook(
            "on_after_email_verified", conn, scope, email=identity.provider_user_id, user=user
        )
        return user

    async def resend_verification(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection, raw: object
    ) -> None:
        """Another verification mail for an unverified address; 200 whatever the address."""
        body = _body(raw)
        if email_problem(body.get("email")):
            raise HttpError(400, "Email is not a valid address", code="validation_error")
        email = normalize_email(str(body["email"]))
        await self.service.guard.hit(self.config.limits.mail_per_account, "mail", email)
        identity = await self.service.identities.find(db, EMAIL, email)
        if identity is None or identity.verified_at is not None:
            return
        user = await self.service.users.get(db, identity.user_id)
        if user is not None:
            await self._send_verification(db, scope, user, email)

    # ------------------------------------------------------------ login

    async def check_password(
        self, db: AsyncSession, conn: HTTPConnection, raw: object
    ) -> tuple[Any, ProviderId]:
        """The user whose address and password these are (verified address), or the error."""
        body = _body(raw)
        email_value, password = body.get("email"), body.get("password")
        if not isinstance(email_value, str) or not isinstance(password, str):
            raise HttpError(400, "email and password are required", code="validation_error")
        service = self.service
        email = normalize_email(email_value)
        limits = self.config.limits
        await service.guard.hit(limits.login_per_ip, "login-ip", ip_budget(conn))
        await service.guard.hit(limits.login_per_account, "login-account", email)

        identity = await service.identities.find(db, EMAIL, email)
        stored = None if identity is None else identity.password_hash
        if not await service.hasher.verify_async(stored, password) or identity is None:
            raise HttpError(401, INVALID_CREDENTIALS)
        user = await service.users.get(db, identity.user_id)
        if user is None:
            raise HttpError(401, INVALID_CREDENTIALS)
        if identity.verified_at is None:
            raise HttpError(
                403,
                "Confirm your email address first: follow the link we sent you",
                {"emailVerified": False},
            )
        if service.hasher.needs_rehash(stored or ""):
            await service.identities.set_password(
                db, identity.id, await service.hasher.hash_async(password)
            )
        return user, ProviderId(EMAIL, email)

    async def login(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection, raw: object
    ) -> SignedIn:
        user, provider = await self.check_password(db, conn, raw)
        await self.service.second_factor(db, user.id, _body(raw).get("totp"))
        return await self.service.sign_in(db, scope, conn, user, provider)

    # ------------------------------------------------------------ reset

    async def request_reset(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection, raw: object
    ) -> None:
        body = _body(raw)
        if email_problem(body.get("email")):
            raise HttpError(400, "Email is not a valid address", code="validation_error")
        email = normalize_email(str(body["email"]))
        service = self.service
        await service.guard.hit(self.config.limits.token_per_ip, "token-ip", ip_budget(conn))
        await service.guard.hit(self.config.limits.mail_per_account, "mail", email)
        identity = await service.identities.find(db, EMAIL, email)
        if identity is None:
            return
        user = await service.users.get(db, identity.user_id)
        if user is None:
            return
        token = await service.one_time.issue(db, user.id, RESET_PASSWORD)
        content = await emails.password_reset(self.config, self.method, user, email, token)
        await self._send(scope, email, content)

    async def reset_password(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection | None, raw: object
    ) -> Any:
        body = _body(raw)
        password = body.get("password")
        if not isinstance(password, str):
            raise HttpError(
                400,
                "Invalid password",
                [{"field": "password", "message": "Password is required"}],
                code="validation_error",
            )
        problems = self.config.policy.violations(password)
        if problems:
            raise HttpError(
                400, "Invalid password", [dict(d) for d in problems], code="validation_error"
            )
        service = self.service
        await service.guard.hit(self.config.limits.token_per_ip, "token-ip", ip_budget(conn))
        user_id = await service.one_time.consume(db, _text(body.get("token")), RESET_PASSWORD)
        user = None if user_id is None else await service.users.get(db, user_id)
        identity = None if user is None else await service.identities.of_user(db, user.id, EMAIL)
        if user is None or identity is None:
            raise HttpError(400, INVALID_TOKEN)
        await service.identities.set_password(
            db, identity.id, await service.hasher.hash_async(password)
        )
        # Following the link proved the mailbox is theirs.
        await service.identities.mark_verified(db, identity.id, service.sessions.clock())
        service.users.mirror(user, EMAIL_VERIFIED, True)
        await service.revoke_everything(db, user.id)
        await db.flush()
        return user

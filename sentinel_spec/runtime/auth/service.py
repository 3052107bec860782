"""The auth flows behind the routes: sign-in completion, sessions, refresh, logout, 2FA.

One ``AuthService`` per app. Each method runs inside the unit of work the route opened
(``db`` is its AsyncSession): the rows it writes, the hooks' writes and the emails it
queues commit together or not at all. The email/password flows are in
``email_password.py``, Google's in ``google.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from sentinel_spec.runtime.auth import hooks, one_time
from sentinel_spec.runtime.auth.backup_codes import BackupCodeHasher
from sentinel_spec.runtime.auth.config import AuthConfig
from sentinel_spec.runtime.auth.hooks import OAuthInfo, ProviderId
from sentinel_spec.runtime.auth.host import Host
from sentinel_spec.runtime.auth.identities import Identities
from sentinel_spec.runtime.auth.limits import Guard
from sentinel_spec.runtime.auth.one_time import OneTimeTokens
from sentinel_spec.runtime.auth.passwords import PasswordHasher
from sentinel_spec.runtime.auth.refresh import Invalid, Refreshed, RefreshTokenStore, Reused
from sentinel_spec.runtime.auth.sealing import Sealer
from sentinel_spec.runtime.auth.session_cache import SessionCache
from sentinel_spec.runtime.auth.sessions import SessionRecord, SessionStore
from sentinel_spec.runtime.auth.two_factor import SetupInfo, TwoFactorStore
from sentinel_spec.runtime.auth.users import LAST_LOGIN_AT, TWO_FACTOR_ENABLED, Users
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.middleware.proxies import UNKNOWN_CLIENT, client_ip, rate_limit_ip_key

security_log = logging.getLogger("sentinel.security")

TWO_FACTOR_REQUIRED = {"twoFactorRequired": True}

if TYPE_CHECKING:
    from sentinel_spec.runtime.auth.pruning import AuthPruner


@dataclass(frozen=True)
class SignedIn:
    """A new session: ``session_token`` is the ``sessionId`` the client presents."""

    user: Any
    session_token: str
    session: SessionRecord
    refresh_token: str | None


@dataclass(frozen=True)
class ConnectionInfo:
    ip: str | None
    user_agent: str | None

    @classmethod
    def of(cls, conn: HTTPConnection | None) -> ConnectionInfo:
        if conn is None:
            return cls(None, None)
        ip = client_ip(conn)
        return cls(None if ip == UNKNOWN_CLIENT else ip, conn.headers.get("user-agent"))


def ip_budget(conn: HTTPConnection | None) -> str:
    """What a per-IP auth limit counts under: the client address from the shared proxy
    handling (``app.server.trustedProxies``), an IPv6 address by its /64 as the server's
    own rate limits do, so rotating addresses inside one allocation buys no attempts."""
    return rate_limit_ip_key(client_ip(conn))


class AuthService:
    def __init__(self, config: AuthConfig, host: Host) -> None:
        self.config = config
        self.host = host
        tables = config.tables
        self.users = Users(config.user_model)
        self.identities = Identities(tables)
        self.hasher = PasswordHasher(config.argon2)
        self.sessions = SessionStore(tables, config.timeouts)
        self.refresh_tokens = RefreshTokenStore(
            tables, config.refresh_ttl_seconds, config.refresh_rotate
        )
        self.one_time = OneTimeTokens(tables)
        # Set by install_auth: the timer that deletes expired sessions and tokens.
        self.pruner: AuthPruner | None = None
        issuer = config.two_factor.issuer if config.two_factor else config.app_name
        count = config.two_factor.backup_codes if config.two_factor else 10
        # Built even when the spec no longer declares twoFactor: users who turned it on
        # keep being asked for their code.
        self.two_factor = TwoFactorStore(
            tables,
            Sealer(config.keys, "totp-secret"),
            BackupCodeHasher(config.keys),
            issuer=issuer,
            backup_code_count=count,
        )
        self.cache = SessionCache(config.session_cache_seconds)
        self.guard = Guard(host.rate_limiter)

    # ------------------------------------------------------------ hooks

    async def hook(
        self, name: str, conn: HTTPConnection | None, scope: Any, **offered: Any
    ) -> None:
        fn = getattr(self.config.hooks, name)
        if fn is None:
            return
        context = self.host.hook_context(conn, scope, offered.get("user"))
        await hooks.call(fn, request=conn, context=context, **offered)

    # ------------------------------------------------------------ signing in

    async def second_factor(
        self, db: AsyncSession, user_id: Any, code: object, *, required_detail: bool = True
    ) -> str | None:
        """None when the user has no 2FA; else the kind of code used, or a 401."""
        if not await self.two_factor.is_enabled(db, user_id):
            return None
        if not isinstance(code, str) or not code.strip():
            raise HttpError(401, "Two-factor code required", TWO_FACTOR_REQUIRED)
        used = await self.two_factor.check(db, user_id, code.strip())
        if used is None:
            raise HttpError(401, "Invalid two-factor code", TWO_FACTOR_REQUIRED)
        return used

    async def sign_in(
        self,
        db: AsyncSession,
        scope: Any,
        conn: HTTPConnection | None,
        user: Any,
        provider: ProviderId,
        *,
        oauth: OAuthInfo | None = None,
    ) -> SignedIn:
        """Everything after the credentials checked out: hooks, a fresh session (never one
        the client chose: the session it came with, if any, is ended), a refresh family."""
        await self.hook("on_before_login", conn, scope, provider_id=provider, user=user)
        if conn is not None:
            await self.end_presented_session(db, conn)
        info = ConnectionInfo.of(conn)
        refresh_token, family = await self.refresh_tokens.issue(db, user.id)
        token, record = await self.sessions.create(
            db,
            user.id,
            method=provider.provider_name,
            ip=info.ip,
            user_agent=info.user_agent,
            family_id=family,
        )
        now = record.created_at
        await self.identities.touch_login(db, provider, now)
        self.users.mirror(user, LAST_LOGIN_AT, now)
        await db.flush()
        await self.hook(
            "on_after_login",
            conn,
            scope,
            provider_id=provider,
            user=user,
            oauth=oauth,
            session_id=record.id,
        )
        return SignedIn(user, token, record, refresh_token)

    async def end_presented_session(self, db: AsyncSession, conn: HTTPConnection) -> None:
        """Session fixation: a login never continues the session the client presented."""
        from sentinel_spec.runtime.auth.authenticator import presented_token

        presented = presented_token(conn)
        if presented is None:
            return
        record = await self.sessions.validate(db, presented[0])
        if record is not None:
            await self.sessions.revoke(db, record.user_id, record.id)
            self.cache.forget_sessions([record.id])

    # ------------------------------------------------------------ pending second step

    async def begin_pending_login(self, db: AsyncSession, user_id: Any) -> str:
        """A 5-minute token standing for "password (or Google) checked, code missing"."""
        return await self.one_time.issue(db, user_id, one_time.TWO_FACTOR_LOGIN)

    async def pending_user(self, db: AsyncSession, token: object) -> Any | None:
        if not isinstance(token, str):
            return None
        user_id = await self.one_time.peek(db, token, one_time.TWO_FACTOR_LOGIN)
        return None if user_id is None else await self.users.get(db, user_id)

    async def complete_pending_login(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection, token: object, code: object
    ) -> SignedIn:
        user = await self.pending_user(db, token)
        if user is None:
            raise HttpError(401, "The sign-in has expired; sign in again")
        await self.guard.hit(self.config.limits.code_per_account, "2fa-user", str(user.id))
        await self.second_factor(db, user.id, code)
        await self.one_time.consume(db, str(token), one_time.TWO_FACTOR_LOGIN)
        provider = await self.identities.primary(db, user.id)
        return await self.sign_in(db, scope, conn, user, provider)

    # ------------------------------------------------------------ sessions

    def forget_sessions(self, ids: Sequence[str]) -> None:
        self.cache.forget_sessions(list(ids))

    async def revoke_everything(self, db: AsyncSession, user_id: Any) -> None:
        """Every session and refresh token of the user (password reset, logout all)."""
        ended = await self.sessions.revoke_all(db, user_id)
        await self.refresh_tokens.revoke_user(db, user_id)
        self.forget_sessions(ended)
        self.cache.forget_user(user_id)

    async def logout(
        self, db: AsyncSession, user: Any, record: SessionRecord, everywhere: bool
    ) -> None:
        if everywhere:
            await self.revoke_everything(db, user.id)
            return
        await self.sessions.revoke(db, user.id, record.id)
        if record.family_id is not None:
            await self.refresh_tokens.revoke_family(db, record.family_id)
            self.forget_sessions(await self.sessions.revoke_family(db, record.family_id))
        self.forget_sessions([record.id])

    async def end_session(self, db: AsyncSession, user: Any, session_id: str) -> None:
        record = await self.sessions.revoke(db, user.id, session_id)
        if record is None:
            raise HttpError(404, "No such session")
        if record.family_id is not None:
            await self.refresh_tokens.revoke_family(db, record.family_id)
        self.forget_sessions([record.id])

    async def refresh(
        self, db: AsyncSession, scope: Any, conn: HTTPConnection, token: object
    ) -> SignedIn | HttpError:
        """A new session (and token); or, for a reused token, the 401 to answer *after*
        the unit of work has committed the family's revocation (raising would roll it back)."""
        await self.guard.hit(self.config.limits.token_per_ip, "token-ip", ip_budget(conn))
        if not isinstance(token, str):
            raise HttpError(400, "refreshToken is required", code="validation_error")
        outcome = await self.refresh_tokens.use(db, token)
        if isinstance(outcome, Reused):
            ended = await self.sessions.revoke_family(db, outcome.family_id)
            self.forget_sessions(ended)
            security_log.warning(
                "refresh token reused: its family was revoked",
                extra={
                    "event": "auth.refresh_token_reuse",
                    "user_id": outcome.user_id,
                    "family_id": outcome.family_id,
                    "sessions_revoked": len(ended),
                    "ip": client_ip(conn),
                    "user_agent": conn.headers.get("user-agent"),
                },
            )
            return HttpError(401, "Refresh token is no longer valid")
        if isinstance(outcome, Invalid):
            raise HttpError(401, "Refresh token is no longer valid")
        assert isinstance(outcome, Refreshed)
        user = await self.users.get(db, outcome.user_id)
        if user is None:
            raise HttpError(401, "Refresh token is no longer valid")
        # The family's earlier session (expired or not) is replaced by the new one.
        self.forget_sessions(await self.sessions.revoke_family(db, outcome.family_id))
        info = ConnectionInfo.of(conn)
        session_token, record = await self.sessions.create(
            db,
            user.id,
            method="refresh",
            ip=info.ip,
            user_agent=info.user_agent,
            family_id=outcome.family_id,
        )
        return SignedIn(user, session_token, record, outcome.token)

    # ------------------------------------------------------------ two-factor

    def account_label(self, user: Any) -> str:
        return str(getattr(user, "email", None) or getattr(user, "username", None) or user.id)

    async def setup_two_factor(self, db: AsyncSession, user: Any) -> SetupInfo:
        info = await self.two_factor.setup(db, user.id, self.account_label(user))
        if info is None:
            raise HttpError(409, "Two-factor authentication is already enabled")
        return info

    async def enable_two_factor(self, db: AsyncSession, user: Any, code: object) -> list[str]:
        await self.guard.hit(self.config.limits.code_per_account, "2fa-user", str(user.id))
        if not isinstance(code, str):
            raise HttpError(400, "code is required", code="validation_error")
        codes = await self.two_factor.enable(db, user.id, code.strip())
        if codes is None:
            if await self.two_factor.is_enabled(db, user.id):
                raise HttpError(409, "Two-factor authentication is already enabled")
            raise HttpError(
                400,
                "Invalid code: enter the current code from your authenticator app "
                "(after POST /auth/2fa/setup)",
            )
        await self.users.save_mirror(db, user, TWO_FACTOR_ENABLED, True)
        await db.flush()
        return codes

    async def disable_two_factor(
        self, db: AsyncSession, user: Any, password: object, code: object
    ) -> None:
        await self.guard.hit(self.config.limits.code_per_account, "2fa-user", str(user.id))
        if not await self.two_factor.is_enabled(db, user.id):
            raise HttpError(409, "Two-factor authentication is not enabled")
        stored = await self.identities.password_hash(db, user.id)
        # Accounts with a password confirm with it; Google-only accounts have none.
        if stored is not None and (
            not isinstance(password, str) or not await self.hasher.verify_async(stored, password)
        ):
            raise HttpError(403, "Wrong password or code")
        if (
            not isinstance(code, str)
            or await self.two_factor.check(db, user.id, code.strip()) is None
        ):
            raise HttpError(403, "Wrong password or code")
        await self.two_factor.disable(db, user.id)
        await self.users.save_mirror(db, user, TWO_FACTOR_ENABLED, False)
        await db.flush()

    async def new_backup_codes(self, db: AsyncSession, user: Any, code: object) -> list[str]:
        await self.guard.hit(self.config.limits.code_per_account, "2fa-user", str(user.id))
        if not await self.two_factor.is_enabled(db, user.id):
            raise HttpError(409, "Two-factor authentication is not enabled")
        if (
            not isinstance(code, str)
            or await self.two_factor.check(db, user.id, code.strip()) is None
        ):
            raise HttpError(403, "Wrong code")
        return await self.two_factor.new_backup_codes(db, user.id)

"""``SessionAuthenticator``: the signed-in user of a request or a websocket.

The session id arrives as ``Authorization: Bearer <sessionId>``, as the session cookie,
or (websockets only, where browsers cannot set headers) as ``?token=<sessionId>``. The
bearer header wins when several are present. A validated session is cached in process
for a few seconds (``session_cache.py``), so most requests cost a hash and a dict
lookup; the rest cost one indexed SELECT (plus the user's row).

Cross-site requests: a session that came in a cookie on a state-changing request (or
a websocket handshake) is honoured only when the ``Origin`` (or ``Referer``) header is
absent or names this server, ``APP_URL`` or a CORS origin. The SameSite=Lax cookie
already keeps other sites' forms from sending it; this is the second lock.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, cookie_parser

from sentinel_spec.runtime.auth.sessions import SessionRecord
from sentinel_spec.runtime.auth.tokens import plausible_token, token_digest
from sentinel_spec.runtime.errors import HttpError

SESSION_COOKIE = "sentinel_session"
STATE_KEY = "sentinel_auth"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Source = Literal["bearer", "cookie", "query"]


@dataclass(frozen=True)
class AuthState:
    """What the authenticator found, kept on the connection's scope for later steps."""

    session: SessionRecord
    source: Source
    user: Any


_SESSION_COOKIE_BYTES = SESSION_COOKIE.encode("latin-1")


def presented_token(conn: HTTPConnection) -> tuple[str, Source] | None:
    # One pass over the raw headers (the first of each, as ``conn.headers.get``): an
    # anonymous request builds no Headers object and parses no cookies.
    authorization = cookies = None
    for name, raw in conn.scope["headers"]:
        if name == b"authorization":
            if authorization is None:
                authorization = raw
        elif name == b"cookie" and cookies is None:
            cookies = raw
    if authorization is not None:
        scheme, _, value = authorization.decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip(), "bearer"
        return None  # a malformed Authorization header is not silently ignored for a cookie
    if cookies is not None and _SESSION_COOKIE_BYTES in cookies:
        cookie = cookie_parser(cookies.decode("latin-1")).get(SESSION_COOKIE)
        if cookie:
            return cookie, "cookie"
    if conn.scope["type"] == "websocket":
        query = conn.query_params.get("token")
        if query:
            return query, "query"
    return None


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def cross_site(conn: HTTPConnection, trusted: frozenset[str]) -> bool:
    """True when the request names an origin other than ours (or ``null``)."""
    claimed = conn.headers.get("origin")
    if claimed is None:
        referer = conn.headers.get("referer")
        if referer is None:
            return False
        claimed = origin_of(referer) or "null"
    claimed = claimed.strip().lower()
    if claimed == "null":
        return True
    if claimed in trusted:
        return False
    host = conn.headers.get("host", "").lower()
    return urlsplit(claimed).netloc != host


def auth_state(conn: HTTPConnection | None) -> AuthState | None:
    if conn is None:
        return None
    state = conn.scope.get("state")
    found = state.get(STATE_KEY) if isinstance(state, dict) else None
    return found if isinstance(found, AuthState) else None


class SessionAuthenticator:
    """The ``Authenticator`` of the auth feature (``services.authenticator``)."""

    def __init__(self, service: Any, trusted_origins: frozenset[str]) -> None:
        from sentinel_spec.runtime.auth.service import AuthService

        self.service: AuthService = service
        self.trusted_origins = trusted_origins
        self.pages: Any = None  # the built-in pages (auth_page serves them at app routes)
        # Cache misses being looked up, by token digest: when a cached session expires
        # under load, the requests that carry it wait for one SELECT instead of each
        # taking a connection for its own (a burst past the pool opened and closed
        # overflow connections every few seconds: bench/operations.py, auth).
        self._pending: dict[str, asyncio.Future[tuple[SessionRecord, Any] | None]] = {}

    async def authenticate(self, conn: HTTPConnection) -> Any | None:
        known = auth_state(conn)
        if known is not None:  # already done for this connection
            return known.user
        presented = presented_token(conn)
        if presented is None:
            return None
        token, source = presented
        if not plausible_token(token):
            return None
        if (
            source == "cookie"
            and self._needs_origin_check(conn)
            and cross_site(conn, self.trusted_origins)
        ):
            if conn.scope["type"] == "websocket":
                return None
            raise HttpError(403, "Cross-site request refused")
        found = await self._lookup(token)
        if found is None:
            return None
        record, user = found
        conn.scope.setdefault("state", {})[STATE_KEY] = AuthState(record, source, user)
        return user

    @staticmethod
    def _needs_origin_check(conn: HTTPConnection) -> bool:
        if conn.scope["type"] == "websocket":
            return True
        return str(conn.scope.get("method", "GET")).upper() not in SAFE_METHODS

    async def _lookup(self, token: str) -> tuple[SessionRecord, Any] | None:
        service = self.service
        digest = token_digest(token)
        cached = service.cache.get(digest, datetime.now(UTC).timestamp())
        if cached is not None:
            return cached.record, cached.user
        pending = self._pending.get(digest)
        if pending is None:
            pending = asyncio.ensure_future(self._validate(token, digest))
            self._pending[digest] = pending
            pending.add_done_callback(lambda done: self._forget_pending(digest, done))
        # Shielded: a caller that goes away does not cancel the lookup the others await.
        return await asyncio.shield(pending)

    def _forget_pending(self, digest: str, done: asyncio.Future[Any]) -> None:
        if self._pending.get(digest) is done:
            del self._pending[digest]
        if not done.cancelled():
            done.exception()  # retrieved here too: every waiter may have gone

    async def _validate(self, token: str, digest: str) -> tuple[SessionRecord, Any] | None:
        service = self.service
        async with service.host.unit_of_work() as scope:
            found = await service.sessions.validate_with_user(
                scope.session, token, service.users.model
            )
        if found is None:
            return None
        record, user = found
        service.cache.put(digest, record, user)
        return record, user

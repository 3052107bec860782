"""``RateLimitMiddleware``: the server-wide ``rateLimit.default``, per client IP.

It is the ``rateLimit`` entry of the middleware stack, so ``middlewareConfigFn`` can drop
it (a webhook), replace it, or move it. CORS preflights and ``/api/health`` are not
counted. Allowed responses carry the RateLimit headers; a refused call gets 429 JSON.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sentinel_spec.contract.declarations import RateLimit
from sentinel_spec.runtime.errors import HttpError, http_error_response
from sentinel_spec.runtime.middleware.deferred import APPEND, defer
from sentinel_spec.runtime.ratelimit.enforce import enforce, enforce_in_process, raw
from sentinel_spec.runtime.ratelimit.keys import ip_key
from sentinel_spec.runtime.state import RateLimiter

# Routes the server-wide default never counts: load balancers poll health.
EXEMPT_PATHS = frozenset({"/api/health"})


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        rule: RateLimit,
        name: str = "default",
        exempt: Iterable[str] = EXEMPT_PATHS,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.rule = rule
        self.name = name
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        try:
            key = ip_key(scope)
            found = enforce_in_process(self.limiter, self.name, self.rule, key)
            headers = (
                found
                if found is not None
                else await enforce(self.limiter, self.name, self.rule, key)
            )
        except HttpError as error:
            await http_error_response(error)(scope, receive, send)
            return
        if not headers:  # storage down, failing open: nothing known to report
            await self.app(scope, receive, send)
            return
        extra = raw(headers)
        if defer(scope, send, APPEND, extra):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

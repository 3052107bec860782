"""What features give each other, and the builder every feature installs itself through.

``create_app`` (``runtime/app.py``) makes one ``AppBuilder`` and calls each feature's
``install(builder)`` in a fixed order. A feature fills the typed slots of
``builder.services`` that it provides (an ``Authenticator``, a ``JobQueues``...) and adds
its routes, middleware, start-up/shutdown hooks and health checks. Endpoints close over
``builder.state`` (a ``RuntimeState``) and read the service slots on every call, so the
order of installation never decides who sees whom.

This module imports Starlette only for type checking: the Protocols are the contract.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sentinel_spec.contract import features
from sentinel_spec.contract.declarations import AppDecl, RateLimit
from sentinel_spec.runtime.context import Context, Entities
from sentinel_spec.runtime.db.after_commit import PlainScope
from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.observability.context import bind_user, current_request_id
from sentinel_spec.runtime.settings import Settings

if TYPE_CHECKING:
    from starlette.middleware import Middleware
    from starlette.requests import HTTPConnection, Request
    from starlette.routing import BaseRoute

    from sentinel_spec.runtime.db.after_commit import CommitCallback

T_co = TypeVar("T_co", covariant=True)
Hook = Callable[[], Awaitable[None]]
# A health check answers True/False, or a report whose "status" is "ok" when healthy (the
# job queue's counts and workers): /api/health shows that report as the entry.
HealthCheck = Callable[[], Awaitable[bool | Mapping[str, Any]]]

# ---------------------------------------------------------------- the unit of work


class SessionScopeLike(Protocol):
    """One unit of work (one per operation, api, page or job call): ``session`` opens
    lazily; the scope commits or rolls back; ``on_commit`` callbacks run after a
    successful commit and never after a rollback."""

    @property
    def session(self) -> Any: ...

    def on_commit(self, callback: CommitCallback) -> None: ...


class DatabaseLike(Protocol):
    def scope(self) -> AbstractAsyncContextManager[SessionScopeLike]: ...

    async def ping(self) -> bool: ...

    async def dispose(self) -> None: ...


# ---------------------------------------------------------------- what features provide


class Authenticator(Protocol):
    async def authenticate(self, conn: HTTPConnection) -> Any | None:
        """The signed-in user (a userEntity instance) for a request or websocket, or None."""
        ...


class Mailer(Protocol):
    """``context.email`` (``runtime/email/mailer.py``; docs/email.md)."""

    async def send(
        self,
        *,
        to: str | Sequence[str],
        subject: str | None = None,
        template: str | None = None,
        data: Mapping[str, Any] | None = None,
        text: str | None = None,
        html: str | None = None,
        from_: str | None = None,
        reply_to: str | Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue a message (after the call's commit): raises ``InvalidEmail`` for one that
        can never be sent as written, never for a delivery failure (retried with backoff)."""
        ...

    async def send_batch(self, messages: Sequence[EmailMessage]) -> None:
        """Queue complete messages together (one SMTP connection); all checked first."""
        ...

    def compose(
        self,
        *,
        to: str | Sequence[str],
        subject: str | None = None,
        template: str | None = None,
        data: Mapping[str, Any] | None = None,
        text: str | None = None,
        html: str | None = None,
        from_: str | None = None,
        reply_to: str | Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> EmailMessage:
        """The message ``send`` would queue, rendered and checked (for ``send_batch``)."""
        ...


class JobHandle(Protocol):
    async def submit(self, args: Any = None, *, delay: float | timedelta | None = None) -> int:
        """Enqueue in the caller's transaction; the job id."""
        ...


class JobQueue(Protocol):
    """``context.jobs``: ``await context.jobs.sendDigest.submit(args)``."""

    def __getattr__(self, name: str) -> JobHandle: ...


class Publisher(Protocol):
    """``context.realtime``."""

    async def publish(self, channel: str, message: Any) -> str:
        """Deliver ``message`` to ``channel`` on every instance; the message id."""
        ...


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    # Seconds until one more call fits (when refused: the Retry-After), else until the
    # counted calls have left the window.
    reset_after: float
    # The storage was unreachable: this is the fail-open (allowed) or fail-closed answer.
    degraded: bool = False


class RateLimiter(Protocol):
    """``services.rate_limiter`` (``runtime/ratelimit``): count ``cost`` calls of ``key``
    against ``rule``. Keys are the caller's to namespace (``"login:ip:1.2.3.4"``)."""

    async def hit(self, rule: RateLimit, key: str, cost: int = 1) -> RateLimitResult: ...


class PerCall(Protocol[T_co]):
    """A service whose context attribute is bound to one call's unit of work (so a job
    submit joins the caller's transaction and a send waits for its commit)."""

    def bind(self, scope: SessionScopeLike | None) -> T_co: ...


@dataclass
class Services:
    """The typed slots features fill (None until a feature does)."""

    authenticator: Authenticator | None = None
    mailer: PerCall[Mailer] | None = None
    jobs: PerCall[JobQueue] | None = None
    publisher: PerCall[Publisher] | None = None
    rate_limiter: RateLimiter | None = None


# ---------------------------------------------------------------- per-app state


@dataclass
class RuntimeState:
    """What every endpoint closes over; also ``app.state.sentinel``."""

    decl: AppDecl
    settings: Settings
    database: DatabaseLike | None = None
    services: Services = field(default_factory=Services)
    health_checks: dict[str, tuple[HealthCheck, bool]] = field(default_factory=dict)
    # One line per declared feature the runtime does not serve yet (contract.features).
    not_served: list[str] = field(default_factory=list)

    async def current_user(self, conn: HTTPConnection) -> Any:
        """The signed-in user, or None (always None until a feature gives an authenticator)."""
        authenticator = self.services.authenticator
        if authenticator is None:
            return None
        return await authenticator.authenticate(conn)

    async def user_for(self, request: Request, required: bool) -> Any:
        """The signed-in user, or None; 401 when ``required`` and nobody is signed in."""
        user = await self.current_user(request)
        if user is None:
            if required:
                from sentinel_spec.runtime.errors import HttpError

                raise HttpError(401)
        else:  # for log lines, error reports and per-user limits
            bind_user(user)
        return user

    def unit_of_work(
        self, read_only: bool = False
    ) -> AbstractAsyncContextManager[SessionScopeLike]:
        """The unit of work of one call (``on_commit`` works without a database too).
        ``read_only`` (queries): no transaction until something writes, when the database
        offers that (``Database.read_scope``); the outcome is the same either way."""
        database = self.database
        if database is None:
            return PlainScope()
        if read_only:
            read_scope = getattr(database, "read_scope", None)
            if read_scope is not None:
                scope: AbstractAsyncContextManager[SessionScopeLike] = read_scope()
                return scope
        return database.scope()

    def context(
        self,
        request: Request | None,
        owner: str,
        entities: Mapping[str, type] | Entities,
        user: Any,
        scope: SessionScopeLike | None,
    ) -> Context:
        """``entities``: the declaration's models, or the ``Entities`` made of them once (a
        route makes it at start-up instead of on every call)."""
        request_id = current_request_id()
        if request_id is None and request is not None:
            request_id = request.scope.get("state", {}).get("request_id")
        services = self.services
        return Context(
            request=request,
            request_id=request_id,
            entities=entities if isinstance(entities, Entities) else Entities(owner, entities),
            user=user,
            scope=scope,
            jobs=_bound(services.jobs, scope),
            realtime=_bound(services.publisher, scope),
            email=_bound(services.mailer, scope),
            state=self,
        )

    async def health(self, timeout: float = 3.0) -> dict[str, bool]:
        """Every registered check's verdict, all run at once (a check that fails, raises
        or takes longer than ``timeout`` seconds is False)."""
        return {
            name: healthy(result) for name, result in (await self.health_report(timeout)).items()
        }

    async def health_report(self, timeout: float = 3.0) -> dict[str, bool | Mapping[str, Any]]:
        """Every registered check's answer (True/False, or its report), all run at once."""
        import asyncio

        async def run(check: HealthCheck) -> bool | Mapping[str, Any]:
            try:
                async with asyncio.timeout(timeout):
                    result = await check()
                    return result if isinstance(result, Mapping) else bool(result)
            except Exception:  # TimeoutError included
                return False

        names = list(self.health_checks)
        results = await asyncio.gather(*(run(self.health_checks[n][0]) for n in names))
        return dict(zip(names, results, strict=True))


def healthy(result: bool | Mapping[str, Any]) -> bool:
    """A check's verdict: a report is healthy when its ``status`` is ``ok``."""
    return result.get("status") == "ok" if isinstance(result, Mapping) else bool(result)


def _bound(service: PerCall[T_co] | None, scope: SessionScopeLike | None) -> T_co | None:
    return None if service is None else service.bind(scope)


# ---------------------------------------------------------------- the builder


Feature = Callable[["AppBuilder"], None]


class AppBuilder:
    """Handed to each feature's ``install``; ``create_app`` turns it into the Starlette app."""

    def __init__(self, decl: AppDecl, settings: Settings, database: DatabaseLike | None) -> None:
        self.decl = decl
        self.settings = settings
        self.state = RuntimeState(decl=decl, settings=settings, database=database)
        self.routes: list[BaseRoute] = []
        # The named stack middlewareConfigFn receives, outermost first.
        self.middleware: dict[str, Middleware] = {}
        # Outside the named stack, never replaced by a config fn (the access log).
        self.outer_middleware: list[Middleware] = []
        self.startup: list[Hook] = []
        self.shutdown: list[Hook] = []

    @property
    def services(self) -> Services:
        return self.state.services

    @property
    def database(self) -> DatabaseLike | None:
        return self.state.database

    @database.setter
    def database(self, database: DatabaseLike | None) -> None:
        self.state.database = database

    def add_routes(self, routes: Iterable[BaseRoute]) -> None:
        """Appended in order; Starlette matches the first route that fits."""
        self.routes.extend(routes)

    def add_middleware(
        self,
        name: str,
        middleware: Middleware,
        *,
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        """Into the named stack: innermost by default, or just outside ``before`` / just
        inside ``after`` (names of the stack: securityHeaders, cors, rateLimit, bodyLimit)."""
        if name in self.middleware:
            raise ValueError(f"middleware {name!r} is already in the stack")
        if before is not None and after is not None:
            raise ValueError("add_middleware takes before= or after=, not both")
        anchor = before if before is not None else after
        if anchor is None:
            self.middleware[name] = middleware
            return
        if anchor not in self.middleware:
            raise ValueError(
                f"no middleware {anchor!r} in the stack ({', '.join(self.middleware)})"
            )
        items = list(self.middleware.items())
        index = [n for n, _ in items].index(anchor) + (1 if after is not None else 0)
        items.insert(index, (name, middleware))
        self.middleware = dict(items)

    def add_outer_middleware(self, middleware: Middleware) -> None:
        """Outside the named stack, in the order added (outermost first)."""
        self.outer_middleware.append(middleware)

    def on_startup(self, fn: Hook) -> None:
        """Run at start-up, in install order, before the app's ``setupFn``."""
        self.startup.append(fn)

    def on_shutdown(self, fn: Hook) -> None:
        """Run at shutdown, in reverse install order."""
        self.shutdown.append(fn)

    def add_health_check(self, name: str, fn: HealthCheck, *, critical: bool = True) -> None:
        """``fn()`` answers True when ``name`` (database, jobs, redis...) is healthy."""
        self.state.health_checks[name] = (fn, critical)

    def not_served(self, feature: str, detail: str) -> None:
        """Say loudly that a declared feature does nothing yet (one line at start-up)."""
        self.state.not_served.append(f"not served yet: {feature} ({detail})")

    def report_unserved_features(self) -> None:
        """The lines ``contract.features`` gives for what ``decl`` declares and nobody serves."""
        for found in features.unserved(features.declared(self.decl)):
            self.state.not_served.append(found.not_served_line())

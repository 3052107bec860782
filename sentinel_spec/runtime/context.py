"""``context``: what every operation, api and page receives besides its arguments.

It never imports SQLAlchemy: the unit of work arrives as a ``SessionScopeLike``
(``runtime/state.py``), implemented by ``runtime/db``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request

    from sentinel_spec.runtime.state import RuntimeState, SessionScopeLike


class EntityNotListed(AttributeError):
    """``context.entities.X`` where the declaration does not list ``X``."""


class FeatureNotAvailable(RuntimeError):
    """A context attribute whose feature is not configured (or not served yet)."""


class NoDatabase(RuntimeError):
    """``context.session`` in an app whose spec declares no entity."""


class Entities:
    """Exactly the model classes a declaration lists, as attributes."""

    __slots__ = ("_models", "_owner")

    def __init__(self, owner: str, models: Mapping[str, type]) -> None:
        self._owner = owner
        self._models = dict(models)

    def __getattr__(self, name: str) -> type:
        try:
            return self._models[name]
        except KeyError:
            listed = ", ".join(f"`{n}`" for n in sorted(self._models)) or "none"
            raise EntityNotListed(
                f"{self._owner} does not list entity `{name}` in its `entities` "
                f"(it lists: {listed}); add it there"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(self._models)

    def __repr__(self) -> str:
        return f"Entities({self._owner}: {', '.join(sorted(self._models))})"


# context attribute -> the contract.features entry that serves it, and what to declare.
_FEATURE_OF = {"jobs": "jobs", "realtime": "websockets", "email": "email"}
_TO_DECLARE = {
    "jobs": "declare a `job` in app.sq",
    "realtime": "declare a `websocket` in app.sq",
    "email": "declare `emailSender` in the app of app.sq",
}


class Unavailable:
    """Placeholder for ``context.jobs`` / ``realtime`` / ``email`` until they exist."""

    __slots__ = ("_feature",)

    def __init__(self, feature: str) -> None:
        self._feature = feature

    def __getattr__(self, name: str) -> Any:
        from sentinel_spec.contract import features

        served = features.is_served(_FEATURE_OF[self._feature])
        raise FeatureNotAvailable(
            f"context.{self._feature} is not available (asked for `{name}`): "
            + (_TO_DECLARE[self._feature] if served else "this runtime does not serve it yet")
        )

    def __repr__(self) -> str:
        return f"Unavailable({self._feature})"


# Stateless: one of each serves every call (made once, not per request).
_UNAVAILABLE_JOBS = Unavailable("jobs")
_UNAVAILABLE_REALTIME = Unavailable("realtime")
_UNAVAILABLE_EMAIL = Unavailable("email")


class Context:
    """Passed to every user function as its last argument (see RUNTIME.md, Context)."""

    __slots__ = (
        "_scope",
        "_state",
        "email",
        "entities",
        "jobs",
        "realtime",
        "request",
        "request_id",
        "user",
    )

    def __init__(
        self,
        *,
        request: Request | None,
        request_id: str | None,
        entities: Entities,
        user: Any = None,
        scope: SessionScopeLike | None = None,
        jobs: Any = None,
        realtime: Any = None,
        email: Any = None,
        state: RuntimeState | None = None,
    ) -> None:
        self._state = state
        self.request = request
        self.request_id = request_id
        self.user = user
        self.entities = entities
        self._scope = scope
        self.jobs = jobs if jobs is not None else _UNAVAILABLE_JOBS
        self.realtime = realtime if realtime is not None else _UNAVAILABLE_REALTIME
        self.email = email if email is not None else _UNAVAILABLE_EMAIL

    async def rate_limit(self, name: str, *, key: str | None = None, cost: int = 1) -> None:
        """Count ``cost`` calls against ``app.server.rateLimit.named[name]``, keyed as the
        limit's ``by`` says (or by ``key``); raises ``RateLimited`` (429) once it is spent."""
        from sentinel_spec.runtime.ratelimit.named import count_named

        state = self._state
        await count_named(
            state.services.rate_limiter if state is not None else None,
            state.decl.named_rate_limits if state is not None else {},
            name,
            conn=self.request,
            user=self.user,
            key=key,
            cost=cost,
        )

    @property
    def session(self) -> Any:
        """The ``AsyncSession`` of this call; committed on return, rolled back on error."""
        if self._scope is None:
            raise NoDatabase(
                "context.session: this app has no database (the spec declares no entity)"
            )
        return self._scope.session

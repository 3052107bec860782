"""Which declared features the runtime serves: nothing the spec says is silently ignored.

``FEATURES`` is the table. While a feature's ``served`` is False, ``sentinel check`` warns
about every declaration of it and ``sentinel dev``/``start`` print one line per declared
feature saying the runtime does not serve it yet. The engineer who lands a feature flips
its ``served`` to True in the same commit: that is the only change this table needs, and
the warnings, ``sentinel routes`` and ``openapi.json`` (auth routes, websockets) follow.

``declared(decl)`` finds the features an ``AppDecl`` declares; ``AppSpec.declared_features``
is the compiler's twin and a test holds the two to the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl


# NamedTuples: read on every build, where a frozen dataclass costs ~1 ms to create.
class Feature(NamedTuple):
    name: str  # the key used everywhere: "rateLimit"
    served: bool
    home: str  # the runtime package that serves it
    effect: str  # what a user sees until it is served


FEATURES: tuple[Feature, ...] = (
    Feature(
        "auth",
        served=True,
        home="sentinel_spec/runtime/auth/",
        effect="no sign-in routes, so every `auth: true` route answers 401",
    ),
    Feature(
        "email",
        served=True,
        home="sentinel_spec/runtime/email/",
        effect="no mail is sent; context.email raises FeatureNotAvailable",
    ),
    Feature(
        "jobs",
        served=True,
        home="sentinel_spec/runtime/jobs/",
        effect="jobs never run; context.jobs raises FeatureNotAvailable",
    ),
    Feature(
        "cron",
        served=True,
        home="sentinel_spec/runtime/jobs/",
        effect="schedules never fire",
    ),
    Feature(
        "websockets",
        served=True,
        home="sentinel_spec/runtime/realtime/",
        effect="the paths answer 404; context.realtime raises FeatureNotAvailable",
    ),
    Feature(
        "socketio",
        served=True,
        home="sentinel_spec/runtime/realtime/",
        effect="no Socket.IO server is mounted",
    ),
    Feature(
        "rateLimit",
        served=True,
        home="sentinel_spec/runtime/ratelimit/",
        effect="no request is ever refused with 429",
    ),
    Feature(
        "sentry",
        served=True,
        home="sentinel_spec/runtime/observability/",
        effect="errors are logged but not reported to Sentry",
    ),
)

_BY_NAME = {f.name: f for f in FEATURES}

# `sentinel dev`/`start` print the not-served lines once and set this to "1", so the app's
# processes (every uvicorn worker, every dev reload) do not log them again.
REPORTED_ENV = "SENTINEL_NOT_SERVED_REPORTED"


def feature(name: str) -> Feature:
    return _BY_NAME[name]


def is_served(name: str) -> bool:
    return _BY_NAME[name].served


class Declared(NamedTuple):
    """One feature a spec uses, and where (``job cleanup, job digest``)."""

    feature: str
    where: str

    def not_served_line(self) -> str:
        f = _BY_NAME[self.feature]
        return f"not served yet: {self.feature} ({self.where}): {f.effect}"


def declared_feature(feature: str, where: Iterable[str]) -> list[Declared]:
    """``[Declared]`` when ``where`` names anything, else ``[]``."""
    places = list(where)
    return [Declared(feature, ", ".join(places))] if places else []


def unserved(found: Iterable[Declared]) -> list[Declared]:
    return [d for d in found if not is_served(d.feature)]


def declared(decl: AppDecl) -> list[Declared]:
    """The features ``decl`` declares, in ``FEATURES`` order."""
    found: list[Declared] = []
    auth = decl.auth
    found += declared_feature("auth", ["app.auth"] if auth is not None else [])
    found += declared_feature("email", ["app.emailSender"] if decl.email_sender else [])
    found += declared_feature("jobs", (f"job {j.name}" for j in decl.jobs))
    found += declared_feature("cron", (f"job {j.name}" for j in decl.jobs if j.cron))
    found += declared_feature("websockets", (f"websocket {w.name}" for w in decl.websockets))
    found += declared_feature("socketio", ["app.webSocket"] if decl.socket_io else [])
    limited = ["app.server.rateLimit"] if decl.default_rate_limit is not None else []
    limited += ["app.server.rateLimit.named"] if decl.named_rate_limits else []
    limited += [f"{op.kind} {op.name}" for op in decl.operations if op.rate_limit]
    limited += [f"api {api.name}" for api in decl.apis if api.rate_limit]
    found += declared_feature("rateLimit", limited)
    found += declared_feature("sentry", ["app.server.sentry"] if decl.sentry else [])
    return found

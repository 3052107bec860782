"""The declarative shape of every dict-bodied declaration: which fields, of which type.

A schema is data, not code: ``check.py`` walks a declaration body against it and
``build.py`` reads the (then known-good) body. Types are small frozen values; the
``expected`` text of each is what a diagnostic says when a value does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from sentinel_spec.analyzer.messages import with_article
from sentinel_spec.analyzer.units import DURATION_EXAMPLE, RATE_EXAMPLE, SIZE_EXAMPLE
from sentinel_spec.appspec import (
    CRUD_OPS,
    EMAIL_PROVIDERS,
    JOB_EXECUTORS,
    RATE_LIMIT_KEYS,
)


@dataclass(frozen=True)
class StrT:
    expected: str = "a string"


@dataclass(frozen=True)
class IntT:
    expected: str = "an integer"


@dataclass(frozen=True)
class FloatT:
    expected: str = "a number"


@dataclass(frozen=True)
class BoolT:
    expected: str = "a boolean"


@dataclass(frozen=True)
class DurationT:
    expected: str = f"a duration string like {DURATION_EXAMPLE}"


@dataclass(frozen=True)
class SizeT:
    expected: str = f"a size string like {SIZE_EXAMPLE}"


@dataclass(frozen=True)
class RateT:
    expected: str = f"a rate limit string like {RATE_EXAMPLE}"


@dataclass(frozen=True)
class ChoiceT:
    """A bare name out of a fixed set: ``GET``, ``PgBoss``, ``SMTP``, ``user``."""

    options: tuple[str, ...]

    @property
    def expected(self) -> str:
        names = ", ".join(f"`{o}`" for o in self.options)
        return names if len(self.options) == 1 else f"one of {names}"


@dataclass(frozen=True)
class DeclRefT:
    """A reference to a declaration of one kind (``entity``, ``page``, ``route``)."""

    kind: str

    @property
    def expected(self) -> str:
        return f"{with_article(self.kind)} name"


@dataclass(frozen=True)
class ImportT:
    expected: str = 'an import like `import { fn } from "@src/module"`'


@dataclass(frozen=True)
class JsonT:
    expected: str = "a `{=json ... json=}` block"


@dataclass(frozen=True)
class HttpRouteT:
    expected: str = 'a tuple like `(GET, "/path")`'


@dataclass(frozen=True)
class ListT:
    item: Type

    @property
    def expected(self) -> str:
        return "a list"


@dataclass(frozen=True)
class EnvT:
    """A value read at start-up: ``env("NAME", default)`` or a literal of ``inner``."""

    inner: Type

    @property
    def expected(self) -> str:
        return f"{self.inner.expected} or `env(...)`"


@dataclass(frozen=True)
class OneOfT:
    """The first alternative whose outer form fits the value decides its type."""

    options: tuple[Type, ...]

    @property
    def expected(self) -> str:
        return " or ".join(o.expected for o in self.options)


@dataclass(frozen=True)
class MapT:
    """A dict whose keys the user names, every value of one type (``rateLimit.named``)."""

    value: Type
    expected: str = "a dict"


@dataclass(frozen=True)
class FieldSpec:
    type: Type
    required: bool = False


@dataclass(frozen=True)
class DictT:
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    expected: str = "a dict"


Type = Union[  # noqa: UP007 (a runtime alias of forward references)
    StrT,
    IntT,
    FloatT,
    BoolT,
    DurationT,
    SizeT,
    RateT,
    ChoiceT,
    DeclRefT,
    ImportT,
    JsonT,
    HttpRouteT,
    ListT,
    EnvT,
    OneOfT,
    MapT,
    DictT,
]


def req(t: Type) -> FieldSpec:
    return FieldSpec(t, required=True)


def opt(t: Type) -> FieldSpec:
    return FieldSpec(t)


def dict_of(**fields: FieldSpec) -> DictT:
    return DictT(dict(fields))


ENTITY_LIST = ListT(DeclRefT("entity"))
ENV_STR = EnvT(StrT())

EMAIL_ADDRESS = dict_of(email=req(StrT()), name=opt(StrT()))
RATE_LIMIT = dict_of(limit=req(RateT()), by=opt(ChoiceT(RATE_LIMIT_KEYS)))
# emailVerification / passwordReset: the page the mail links to, and the mail's content.
EMAIL_FLOW = dict_of(clientRoute=req(DeclRefT("route")), getEmailContentFn=opt(ImportT()))

AUTH = dict_of(
    userEntity=req(DeclRefT("entity")),
    methods=opt(
        dict_of(
            email=opt(
                dict_of(
                    fromField=req(EMAIL_ADDRESS),
                    emailVerification=opt(EMAIL_FLOW),
                    passwordReset=opt(EMAIL_FLOW),
                    userSignupFields=opt(ImportT()),
                )
            ),
            google=opt(dict_of(configFn=opt(ImportT()), userSignupFields=opt(ImportT()))),
        )
    ),
    passwordPolicy=opt(
        dict_of(
            minLength=opt(IntT()),
            requireUpper=opt(BoolT()),
            requireLower=opt(BoolT()),
            requireDigit=opt(BoolT()),
            requireSymbol=opt(BoolT()),
        )
    ),
    twoFactor=opt(dict_of(issuer=req(StrT()), backupCodes=opt(IntT()))),
    sessions=opt(
        dict_of(
            idleTimeout=opt(DurationT()),
            absoluteTimeout=opt(DurationT()),
            refreshTokens=opt(dict_of(ttl=opt(DurationT()), rotate=opt(BoolT()))),
        )
    ),
    onAuthFailedRedirectTo=req(StrT()),
    onAuthSucceededRedirectTo=opt(StrT()),
    onBeforeSignup=opt(ImportT()),
    onAfterSignup=opt(ImportT()),
    onBeforeLogin=opt(ImportT()),
    onAfterLogin=opt(ImportT()),
    onAfterEmailVerified=opt(ImportT()),
    workspaces=opt(
        dict_of(
            entity=req(DeclRefT("entity")),
            memberEntity=req(DeclRefT("entity")),
            roleField=opt(StrT()),
            userField=opt(StrT()),
            workspaceField=opt(StrT()),
            ipAllowlistField=opt(StrT()),
            sessionTimeoutField=opt(StrT()),
        )
    ),
)

ORIGINS = EnvT(OneOfT((StrT(), ListT(StrT()))))
# A header value, or `false` to send no such header.
HEADER_VALUE = OneOfT((StrT(), BoolT()))
HSTS = dict_of(maxAge=opt(DurationT()), includeSubDomains=opt(BoolT()), preload=opt(BoolT()))

SECURITY_HEADERS = dict_of(
    contentSecurityPolicy=opt(HEADER_VALUE),
    hsts=opt(OneOfT((HSTS, BoolT()))),
    frameOptions=opt(HEADER_VALUE),
    referrerPolicy=opt(HEADER_VALUE),
    permissionsPolicy=opt(HEADER_VALUE),
)

SERVER_LIMITS = dict_of(
    maxUrlBytes=opt(SizeT()),
    maxHeaderBytes=opt(SizeT()),
    maxHeaders=opt(IntT()),
    headersTimeout=opt(DurationT()),
    bodyTimeout=opt(DurationT()),
    requestTimeout=opt(DurationT()),
    idleTimeout=opt(DurationT()),
)

SERVER = dict_of(
    setupFn=opt(ImportT()),
    middlewareConfigFn=opt(ImportT()),
    cors=opt(
        dict_of(
            # One list for every environment, or one per SENTINEL_ENV name.
            origins=opt(OneOfT((MapT(ORIGINS), ORIGINS))),
            credentials=opt(BoolT()),
            maxAge=opt(DurationT()),
        )
    ),
    bodyLimits=opt(dict_of(json=opt(SizeT()), form=opt(SizeT()), raw=opt(SizeT()))),
    rateLimit=opt(
        dict_of(
            default=opt(RateT()),
            storage=opt(ENV_STR),
            failOpen=opt(BoolT()),
            named=opt(MapT(RATE_LIMIT)),
        )
    ),
    trustedProxies=opt(EnvT(OneOfT((StrT(), ListT(StrT()))))),
    securityHeaders=opt(SECURITY_HEADERS),
    limits=opt(SERVER_LIMITS),
    sentry=opt(
        dict_of(
            dsn=req(ENV_STR),
            tracesSampleRate=opt(FloatT()),
            environment=opt(ENV_STR),
            release=opt(ENV_STR),
        )
    ),
)

APP = dict_of(
    title=req(StrT()),
    auth=opt(AUTH),
    server=opt(SERVER),
    db=opt(dict_of(seeds=opt(ListT(ImportT())))),
    webSocket=opt(dict_of(fn=req(ImportT()), path=opt(StrT()))),
    realtime=opt(dict_of(authorizeFn=opt(ImportT()))),
    uploads=opt(
        dict_of(
            path=opt(StrT()),
            maxSize=opt(SizeT()),
            allowedTypes=opt(ListT(StrT())),
            authorizeFn=opt(ImportT()),
            onUploadFn=opt(ImportT()),
            auth=opt(BoolT()),
        )
    ),
    emailSender=opt(
        dict_of(provider=req(ChoiceT(EMAIL_PROVIDERS)), defaultFrom=opt(EMAIL_ADDRESS))
    ),
    jobs=opt(dict_of(retention=opt(DurationT()), failedRetention=opt(DurationT()))),
)

OPERATION = dict_of(
    fn=req(ImportT()),
    entities=opt(ENTITY_LIST),
    auth=opt(BoolT()),
    rateLimit=opt(RATE_LIMIT),
)

API = dict_of(
    fn=req(ImportT()),
    httpRoute=req(HttpRouteT()),
    entities=opt(ENTITY_LIST),
    auth=opt(BoolT()),
    middlewareConfigFn=opt(ImportT()),
    rateLimit=opt(RATE_LIMIT),
)

API_NAMESPACE = dict_of(path=req(StrT()), middlewareConfigFn=req(ImportT()))

JOB = dict_of(
    executor=req(ChoiceT(JOB_EXECUTORS)),
    perform=req(dict_of(fn=req(ImportT()), executorOptions=opt(dict_of(pgBoss=opt(JsonT()))))),
    schedule=opt(dict_of(cron=req(StrT()), args=opt(JsonT()), timezone=opt(StrT()))),
    entities=opt(ENTITY_LIST),
)

ROUTE = dict_of(path=req(StrT()), to=req(DeclRefT("page")))

PAGE = dict_of(component=req(ImportT()), authRequired=opt(BoolT()))

CRUD_OPERATION = dict_of(isPublic=opt(BoolT()), overrideFn=opt(ImportT()))
CRUD = dict_of(
    entity=req(DeclRefT("entity")),
    operations=req(DictT({op: opt(CRUD_OPERATION) for op in CRUD_OPS})),
)

WEBSOCKET = dict_of(path=req(StrT()), fn=req(ImportT()), auth=opt(BoolT()))

# The kinds of ``<kind> <Name> { ... }`` declarations and the shape of their body.
DECL_SCHEMAS: dict[str, DictT] = {
    "app": APP,
    "query": OPERATION,
    "action": OPERATION,
    "api": API,
    "apiNamespace": API_NAMESPACE,
    "job": JOB,
    "route": ROUTE,
    "page": PAGE,
    "crud": CRUD,
    "websocket": WEBSOCKET,
}


@dataclass(frozen=True)
class JobOption:
    """A pgBoss executor option: the JSON type it must have, the ``JobOptions`` field it fills."""

    type: type | tuple[type, ...]
    field: str


# pgBoss executor options, by JSON key: checked by ``validate.py``, read by ``build.py``.
JOB_OPTIONS: dict[str, JobOption] = {
    "retryLimit": JobOption(int, "retry_limit"),
    "retryDelay": JobOption(int, "retry_delay_seconds"),
    "retryBackoff": JobOption(bool, "retry_backoff"),
    "expireInSeconds": JobOption(int, "expire_in_seconds"),
    "singletonKey": JobOption(str, "singleton_key"),
    "priority": JobOption(int, "priority"),
    "queue": JobOption(str, "queue"),
    # Seconds (an integer) or an ISO date/date-time string: build.py picks the field.
    "startAfter": JobOption((int, str), "start_after_seconds"),
}

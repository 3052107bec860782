"""THE route plan: which path and methods serve each declaration.

The runtime mounts its routes from it, the generator writes ``openapi.json`` from it and
``sentinel routes`` prints it, so the three cannot disagree. The compiler calls the
per-kind functions with AppSpec values (``generator.features.route_plan``), the runtime
with the ``AppDecl`` (``plan``); both get the same ``PlannedRoute`` rows (a test holds
them to it), in the order the server matches them: operations, crud, apis, pages, the routes of
the features that have landed (auth, websockets, the upload endpoint; see
``contract.features``), and last
``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, NamedTuple

from sentinel_spec.contract import features
from sentinel_spec.contract.names import kebab, starlette_path

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl

RouteKind = Literal[
    "query",
    "action",
    "crud",
    "api",
    "page",
    "openapi",
    "client",
    "health",
    "auth",
    "authPage",
    "websocket",
    "upload",
]

QUERY_METHODS: tuple[str, ...] = ("GET", "POST")  # a query is also callable as GET ?args=
ACTION_METHODS: tuple[str, ...] = ("POST",)
# What an ``api`` declared with method ALL answers (OPTIONS so a preflight reaches it).
ALL_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
WEBSOCKET_METHOD = "WS"  # not an HTTP method: shown by `sentinel routes`, never mounted

# The last path segment of each crud operation: ``/crud/<route_name>/<segment>``.
CRUD_SEGMENTS: Mapping[str, str] = {
    "get": "get",
    "getAll": "get-all",
    "create": "create",
    "update": "update",
    "delete": "delete",
}
CRUD_QUERIES: frozenset[str] = frozenset({"get", "getAll"})  # reads; the others write

OPENAPI_PATH = "/openapi.json"
# The generated JavaScript client (generated/client.js), for the scripts of pages.
CLIENT_JS_PATH = "/client.js"
HEALTH_PATH = "/api/health"
# The largest crud ``offset`` (PostgreSQL's OFFSET is a bigint); runtime and openapi share it.
BIGINT_MAX = 2**63 - 1


# A NamedTuple: the compiler builds the plan on every build, and a frozen dataclass
# costs ~1 ms of class creation at import.
class PlannedRoute(NamedTuple):
    kind: RouteKind
    name: str  # the declaration it serves: getCases, Task.get, health, LandingPage
    path: str  # Starlette form: /operations/get-cases, /api/screenshot/{alertId}
    methods: tuple[str, ...]
    auth: bool  # answers 401 (pages: redirects) without a signed-in user
    # The spec's own method word when it is not one method: "ALL" for such apis.
    method_label: str | None = None

    @property
    def route_name(self) -> str:
        """Starlette's route name: ``operation:getCases``, ``api:health``..."""
        prefix = "operation" if self.kind in ("query", "action", "crud") else self.kind
        return f"{prefix}:{self.name}"


def operation(
    name: str,
    kind: Literal["query", "action"],
    *,
    auth: bool,
    route_name: str | None = None,
    path: str | None = None,
) -> PlannedRoute:
    """``/operations/<kebab-name>`` (or ``path``, which the runtime's crud operations set);
    a query answers GET and POST, an action POST."""
    if path is None:
        path = f"/operations/{route_name if route_name is not None else kebab(name)}"
    methods = QUERY_METHODS if kind == "query" else ACTION_METHODS
    return PlannedRoute(kind, name, path, methods, auth)


def crud(name: str, op: str, *, is_public: bool, route_name: str | None = None) -> PlannedRoute:
    """``/crud/<kebab-name>/<segment>``; reads are queries, writes actions."""
    segment = route_name if route_name is not None else kebab(name)
    methods = QUERY_METHODS if op in CRUD_QUERIES else ACTION_METHODS
    path = f"/crud/{segment}/{CRUD_SEGMENTS[op]}"
    return PlannedRoute("crud", f"{name}.{op}", path, methods, not is_public)


def api(name: str, method: str, path: str, *, auth: bool) -> PlannedRoute:
    """Where declared (``:param`` or ``{param}`` form); ``ALL`` answers every method."""
    if method == "ALL":
        return PlannedRoute("api", name, starlette_path(path), ALL_METHODS, auth, "ALL")
    return PlannedRoute("api", name, starlette_path(path), (method,), auth)


def page(name: str, path: str, *, auth_required: bool) -> PlannedRoute:
    return PlannedRoute("page", name, starlette_path(path), ("GET",), auth_required)


def openapi() -> PlannedRoute:
    return PlannedRoute("openapi", "openapi", OPENAPI_PATH, ("GET",), False)


def client_js() -> PlannedRoute:
    return PlannedRoute("client", "client.js", CLIENT_JS_PATH, ("GET",), False)


def health() -> PlannedRoute:
    """The runtime's health report (``runtime/http/health.py``)."""
    return PlannedRoute("health", "health", HEALTH_PATH, ("GET",), False)


def claims_health(apis: Iterable[tuple[str, str]]) -> bool:
    """Whether one of the spec's apis (method, path) answers ``GET /api/health`` itself."""
    return any(
        starlette_path(path).rstrip("/") == HEALTH_PATH and method in ("GET", "ALL")
        for method, path in apis
    )


def websocket(name: str, path: str, *, auth: bool) -> PlannedRoute:
    return PlannedRoute("websocket", name, starlette_path(path), (WEBSOCKET_METHOD,), auth)


def upload(path: str, *, auth: bool) -> PlannedRoute:
    """``app.uploads``: the framework's streaming multipart endpoint (POST)."""
    return PlannedRoute("upload", "upload", starlette_path(path), ("POST",), auth)


def auth_routes(*, email: bool, google: bool, two_factor: bool) -> tuple[PlannedRoute, ...]:
    """The routes of RUNTIME.md's Auth table for the methods the spec enables, then the
    built-in pages (kind ``authPage``: HTML forms, GET shows and POST submits)."""
    rows: list[tuple[str, str, str, bool]] = []  # name, method, path, needs a session
    if email:
        rows += [
            ("emailSignup", "POST", "/auth/email/signup", False),
            ("emailVerify", "POST", "/auth/email/verify-email", False),
            ("emailResendVerification", "POST", "/auth/email/resend-verification", False),
            ("emailLogin", "POST", "/auth/email/login", False),
            ("emailRequestReset", "POST", "/auth/email/request-password-reset", False),
            ("emailResetPassword", "POST", "/auth/email/reset-password", False),
        ]
    if google:
        rows += [
            ("googleLogin", "GET", "/auth/google/login", False),
            ("googleCallback", "GET", "/auth/google/callback", False),
        ]
    rows += [
        ("refresh", "POST", "/auth/refresh", False),
        ("logout", "POST", "/auth/logout", True),
        ("me", "GET", "/auth/me", True),
        ("sessions", "GET", "/auth/sessions", True),
        ("endSession", "DELETE", "/auth/sessions/{sessionId}", True),
        # The second step of a sign-in that stopped for a 2FA code (Google, the pages);
        # served whenever auth is, since a user may have 2FA from before it was dropped.
        ("twoFactorVerify", "POST", "/auth/2fa/verify", False),
    ]
    if two_factor:
        rows += [
            ("twoFactorSetup", "POST", "/auth/2fa/setup", True),
            ("twoFactorEnable", "POST", "/auth/2fa/enable", True),
            ("twoFactorDisable", "POST", "/auth/2fa/disable", True),
            ("twoFactorBackupCodes", "POST", "/auth/2fa/backup-codes", True),
        ]
    planned = [PlannedRoute("auth", n, p, (m,), a) for n, m, p, a in rows]
    pages = [("loginPage", AUTH_PAGES["login"]), ("twoFactorPage", AUTH_PAGES["two-factor"])]
    if email:
        pages += [
            ("signupPage", AUTH_PAGES["signup"]),
            ("verifyEmailPage", AUTH_PAGES["verify-email"]),
            ("forgotPasswordPage", AUTH_PAGES["forgot-password"]),
            ("resetPasswordPage", AUTH_PAGES["reset-password"]),
        ]
    planned += [PlannedRoute("authPage", n, p, ("GET", "POST"), False) for n, p in pages]
    # The account's security page redirects a visitor without a session to the login.
    planned.append(
        PlannedRoute("authPage", "securityPage", AUTH_PAGES["security"], ("GET", "POST"), True)
    )
    return tuple(planned)


# The built-in auth pages (runtime/auth/pages.py), by the name ``auth_page(...)`` takes.
AUTH_PAGES: Mapping[str, str] = {
    "login": "/auth/login",
    "signup": "/auth/signup",
    "verify-email": "/auth/verify-email",
    "forgot-password": "/auth/forgot-password",
    "reset-password": "/auth/reset-password",
    "two-factor": "/auth/two-factor",
    "security": "/auth/security",
}


def served_only(routes: Iterable[PlannedRoute]) -> Iterator[PlannedRoute]:
    """Leave out the routes of features the runtime does not serve yet."""
    for route in routes:
        if route.kind in ("auth", "authPage") and not features.is_served("auth"):
            continue
        if route.kind in ("websocket", "upload") and not features.is_served("websockets"):
            continue
        yield route


def plan(decl: AppDecl) -> tuple[PlannedRoute, ...]:
    """Every route ``decl`` is served at, in matching order (see the module docstring)."""
    rows = [
        operation(op.name, op.kind, auth=op.auth, route_name=op.route_name, path=op.path)
        for op in decl.operations
    ]
    for c in decl.cruds:
        rows += [
            crud(c.name, op.op, is_public=op.is_public, route_name=c.route_name)
            for op in c.operations
        ]
    rows += [api(a.name, a.method, a.path, auth=a.auth) for a in decl.apis]
    rows += [page(p.name, p.path, auth_required=p.auth_required) for p in decl.pages]
    if decl.auth is not None:
        rows += auth_routes(
            email=decl.auth.email is not None,
            google=decl.auth.google is not None,
            two_factor=decl.auth.two_factor is not None,
        )
    rows += [websocket(w.name, w.path, auth=w.auth) for w in decl.websockets]
    if decl.uploads is not None:
        rows.append(upload(decl.uploads.path, auth=decl.uploads.auth))
    if not claims_health((a.method, a.path) for a in decl.apis):
        rows.append(health())
    if decl.openapi_path is not None:  # both files are written by `sentinel build`
        rows.append(client_js())
        rows.append(openapi())
    return tuple(served_only(rows))

"""The configurable stack (Wasp's middlewareConfigFn) and its per-scope dispatch.

The stack is an ordered ``dict[str, Middleware]``, outermost first; features add to it
through ``AppBuilder.add_middleware``. ``AppDecl.middleware_config_fn`` may change it for
the whole server, ``ApiNamespace``/``Api.middleware_config_fn`` for the routes under a
path / one api. A route's stack *replaces* the server's (so a webhook can drop or loosen
a limit); ``MiddlewareDispatcher`` picks the stack per request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.middleware import Middleware
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from sentinel_spec.contract.declarations import Api, AppDecl
from sentinel_spec.runtime.middleware.body_limit import BodyLimitMiddleware
from sentinel_spec.runtime.middleware.cors import CorsMiddleware
from sentinel_spec.runtime.middleware.security_headers import SecurityHeadersMiddleware

MiddlewareStack = dict[str, Middleware]
ScopeMatcher = Callable[[Scope], bool]


def default_middleware(decl: AppDecl, cors_origins: tuple[str, ...]) -> MiddlewareStack:
    """The server's stack before ``middleware_config_fn``; outermost first. Features add
    theirs (``rateLimit`` after ``cors``). Outside it, fixed: trusted-proxy headers, the
    request context (request id, access log, last-resort JSON error) and Sentry."""
    return {
        # Outermost, so that even the error answers of the layers inside carry the headers.
        "securityHeaders": Middleware(
            SecurityHeadersMiddleware, overrides=decl.security_headers or None
        ),
        "cors": Middleware(
            CorsMiddleware,
            origins=cors_origins,
            allow_credentials=decl.cors_credentials,
            max_age=decl.cors_max_age,
        ),
        "bodyLimit": Middleware(BodyLimitMiddleware, limits=decl.body_limits),
    }


def apply_config_fn(
    fn: Callable[..., Any] | None, stack: MiddlewareStack, owner: str
) -> MiddlewareStack:
    """Call a user ``middleware_config_fn`` on a copy of ``stack``; check what it returns."""
    if fn is None:
        return stack
    result = fn(dict(stack))
    if not isinstance(result, dict) or not all(isinstance(m, Middleware) for m in result.values()):
        raise TypeError(
            f"the middlewareConfigFn of {owner} must return a dict of name -> "
            f"starlette.middleware.Middleware, got {type(result).__name__}"
        )
    return result


def path_prefix_matcher(prefix: str) -> ScopeMatcher:
    base = prefix.rstrip("/")

    def matches(scope: Scope) -> bool:
        path: str = scope["path"]
        return path == base or path.startswith(base + "/")

    return matches


def api_matcher(api: Api) -> ScopeMatcher:
    regex, _, _ = compile_path(api.path)
    methods = (
        None
        if api.method == "ALL"
        else {api.method, "HEAD"}
        if api.method == "GET"
        else {api.method}
    )

    def matches(scope: Scope) -> bool:
        if scope["type"] != "http" or regex.match(scope["path"]) is None:
            return False
        # A CORS preflight for this api must see the api's own stack too.
        return methods is None or scope["method"] in methods or scope["method"] == "OPTIONS"

    return matches


def scoped_stacks(
    decl: AppDecl, server_stack: MiddlewareStack
) -> list[tuple[ScopeMatcher, MiddlewareStack]]:
    """(matcher, stack) for every api and namespace with its own config; most specific first."""
    namespaces = sorted(decl.api_namespaces, key=lambda ns: len(ns.path))  # outer first

    def stack_under(path: str) -> MiddlewareStack:
        stack = server_stack
        for ns in namespaces:
            if path_prefix_matcher(ns.path)({"path": path}):
                stack = apply_config_fn(ns.middleware_config_fn, stack, f"apiNamespace `{ns.name}`")
        return stack

    scoped: list[tuple[ScopeMatcher, MiddlewareStack]] = []
    for api in decl.apis:
        if api.middleware_config_fn is None:
            continue
        stack = apply_config_fn(
            api.middleware_config_fn, stack_under(api.path), f"api `{api.name}`"
        )
        scoped.append((api_matcher(api), stack))
    for ns in reversed(namespaces):  # deepest namespace first
        scoped.append((path_prefix_matcher(ns.path), stack_under(ns.path)))
    return scoped


def build_stack(app: ASGIApp, stack: Sequence[Middleware]) -> ASGIApp:
    for cls, args, kwargs in reversed(stack):
        app = cls(app, *args, **kwargs)
    return app


class MiddlewareDispatcher:
    """Runs each request through the stack of the most specific scope that matches it."""

    def __init__(
        self,
        app: ASGIApp,
        server_stack: MiddlewareStack,
        scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]] = (),
    ) -> None:
        self.default = build_stack(app, list(server_stack.values()))
        self.scoped = [(matches, build_stack(app, list(s.values()))) for matches, s in scoped]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            for matches, stack in self.scoped:
                if matches(scope):
                    await stack(scope, receive, send)
                    return
        await self.default(scope, receive, send)


def resolve_stacks(
    decl: AppDecl, stack: MiddlewareStack
) -> tuple[MiddlewareStack, list[tuple[ScopeMatcher, MiddlewareStack]]]:
    """The server's stack (``stack`` through ``middlewareConfigFn``) and the scoped ones."""
    server_stack = apply_config_fn(decl.middleware_config_fn, stack, f"app `{decl.name}`")
    return server_stack, scoped_stacks(decl, server_stack)


def server_middleware(decl: AppDecl, stack: MiddlewareStack) -> list[Middleware]:
    """The app's middleware list: ``stack`` through ``middlewareConfigFn``, dispatched per
    api/namespace when any has its own config, else one stack for every route."""
    server_stack, scoped = resolve_stacks(decl, stack)
    return middleware_list(server_stack, scoped)


def middleware_list(
    server_stack: MiddlewareStack, scoped: Sequence[tuple[ScopeMatcher, MiddlewareStack]]
) -> list[Middleware]:
    if scoped:
        return [Middleware(MiddlewareDispatcher, server_stack=server_stack, scoped=scoped)]
    return list(server_stack.values())  # one stack for every route: no per-request dispatch

"""Who and what the current request (or job, or websocket) is about, in one contextvar.

``RequestContextMiddleware`` opens a ``RequestInfo`` per request; authentication binds the
user, argument decoding (or user code) binds the workspace. Log lines, error bodies and
Sentry events all read it, so each carries the same request id, user id and workspace id.

The contextvar holds a small *mutable* object rather than three values: code deep inside
the request (the authenticator) binds the user, and the layers outside it (the access
log, Sentry) see it, which separate contextvars set inside would not allow. The object
follows the request into awaited code and ``run_in_threadpool`` (which copies the context).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

UserListener = Callable[["RequestInfo"], None]


class RequestInfo:
    """The ids of one request; ``user_id`` and ``workspace_id`` are bound as they are known."""

    __slots__ = ("request_id", "user_id", "workspace_id")

    def __init__(self, request_id: str | None) -> None:
        self.request_id = request_id
        self.user_id: str | None = None
        self.workspace_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"RequestInfo(request_id={self.request_id!r}, user_id={self.user_id!r}, "
            f"workspace_id={self.workspace_id!r})"
        )


_current: ContextVar[RequestInfo | None] = ContextVar("sentinel_request", default=None)
# Called when a user is bound (Sentry sets its per-request user from it).
_user_listeners: list[UserListener] = []


def current() -> RequestInfo | None:
    return _current.get()


def current_request_id() -> str | None:
    info = _current.get()
    return info.request_id if info is not None else None


def begin(request_id: str | None) -> Token[RequestInfo | None]:
    """Open the context of a new request (or job run); returns the token for ``end``."""
    return _current.set(RequestInfo(request_id))


def end(token: Token[RequestInfo | None]) -> None:
    _current.reset(token)


def bind_user(user: Any) -> None:
    """Record the signed-in user (an entity instance with ``id``, or an id) for this request."""
    info = _current.get()
    if info is None:
        return
    user_id = getattr(user, "id", user)
    info.user_id = None if user_id is None else str(user_id)
    for listener in _user_listeners:
        listener(info)


def bind_workspace(workspace_id: Any) -> None:
    """Record the workspace this request acts on (logs, Sentry, ``by: workspace`` limits).

    A client-supplied id is *not* proof of membership: it names, it does not authorise.
    """
    info = _current.get()
    if info is not None and workspace_id is not None:
        info.workspace_id = str(workspace_id)[:128]


def on_user_bound(listener: UserListener) -> None:
    if listener not in _user_listeners:
        _user_listeners.append(listener)


def remove_user_listener(listener: UserListener) -> None:
    if listener in _user_listeners:
        _user_listeners.remove(listener)


def workspace_id_in(args: Any) -> str | None:
    """The ``workspaceId`` a call's arguments name at their top level (a key of a dict, an
    attribute of a validated model), if any.

    The one rule for finding an operation's workspace (see docs/security.md).
    """
    if args is None or isinstance(args, (str, int, float, list)):
        return None
    if isinstance(args, dict):
        value = args.get("workspaceId")
    else:
        value = getattr(args, "workspaceId", None)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    return None

"""What user code calls (re-exported by ``sentinel_spec.runtime``):

- ``current_session(context)``: the signed-in session (id, createdAt, ip, ...) or None;
- ``auth_page(name, request, context)``: a built-in auth page served from the app's own
  page component (``login``, ``signup``, ``verify-email``, ``forgot-password``,
  ``reset-password``, ``two-factor``, ``security``);
- ``require_role`` / ``check_workspace_access`` live in ``workspaces.py``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sentinel_spec.runtime.auth.authenticator import SessionAuthenticator, auth_state
from sentinel_spec.runtime.auth.sessions import SessionRecord


def current_session(context: Any) -> SessionRecord | None:
    """The session the call was signed in with (never its secret id), or None."""
    conn = getattr(context, "request", None) or getattr(context, "websocket", None)
    state = auth_state(conn)
    return None if state is None else state.session


async def auth_page(name: str, request: Request, context: Any = None) -> Response:
    """Serve the built-in auth page ``name`` at this page's route (same forms, same posts)."""
    authenticator = request.app.state.sentinel.services.authenticator
    if not isinstance(authenticator, SessionAuthenticator) or authenticator.pages is None:
        raise RuntimeError("auth_page needs `auth` in the app of app.sq")
    response: Response = await authenticator.pages.page_for_route(name, request)
    return response

"""What every SentinelIQ page shares: the layout's data, CSRF for its forms, the models a
page reads, form posts that answer with a redirect, and errors drawn as HTML pages.

Forms are plain POSTs that work without JavaScript. They are checked exactly as the
runtime checks its own auth forms (docs/auth.md, CSRF for form posts): the ``Origin``
must be this server and the hidden ``csrf_token`` the signed form of the
``sentinel_csrf`` cookie (double submit). Both come from the runtime's auth pages, so
there is one CSRF scheme in the app, not two.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable, Mapping
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from sentinel_spec.runtime import HttpError, Rendered, render
from src.client import assets

CSRF_COOKIE = "sentinel_csrf"
CSRF_FIELD = "csrf_token"
CSRF_SECONDS = 2 * 3600

# The fixed messages a redirect may ask a page to show (?done=<key>): never free text
# from the URL, so a link cannot make the page say anything else.
NOTICES = {
    "created": "Workspace created.",
    "saved": "Changes saved.",
    "invited": "Invitation sent.",
    "revoked": "Invitation revoked.",
    "role": "Role changed.",
    "removed": "Member removed.",
    "joined": "You joined the workspace.",
    "read": "Marked as read.",
    "preferences": "Preferences saved.",
    "switched": "Workspace switched.",
    "left": "You left the workspace.",
    "deleted": "Workspace deleted. Its owner can restore it for 30 days.",
    "transfer": "We emailed the new owner a link to confirm the transfer.",
    "profile": "Profile saved.",
    "owner": "You are now the owner of this workspace.",
    "alert": "Alert created.",
    "status": "Status changed.",
    "incident": "Incident opened.",
}


def _auth_pages(request: Any) -> Any:
    authenticator = request.app.state.sentinel.services.authenticator
    pages = getattr(authenticator, "pages", None)
    if pages is None:
        raise RuntimeError("SentinelIQ's pages need app.auth (its CSRF signer)")
    return pages


def csrf(request: Any) -> tuple[str, str | None]:
    """The token for this page's forms, and a ``Set-Cookie`` value when the browser has
    no CSRF cookie yet (the signed token is only good with that cookie)."""
    pages = _auth_pages(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    set_cookie = None
    if not cookie or not 20 <= len(cookie) <= 64:
        cookie = secrets.token_urlsafe(24)
        carrier = Response()
        carrier.set_cookie(
            CSRF_COOKIE,
            cookie,
            max_age=CSRF_SECONDS,
            path="/",
            httponly=True,
            secure=pages.config.cookie_secure,
            samesite="lax",
        )
        set_cookie = carrier.headers["set-cookie"]
    return pages.csrf.dumps(cookie, CSRF_SECONDS), set_cookie


async def form_fields(request: Any) -> dict[str, str]:
    """The posted fields after the runtime's two CSRF checks (403 otherwise)."""
    fields: dict[str, str] = await _auth_pages(request).form(request)
    return fields


async def form_lists(request: Any) -> dict[str, list[str]]:
    """Repeated fields (checkbox groups) of a form already checked by ``form_fields``."""
    raw = await request.form()  # Starlette caches the parsed form
    lists: dict[str, list[str]] = {}
    for key, value in raw.multi_items():
        if isinstance(value, str) and key != CSRF_FIELD:
            lists.setdefault(key, []).append(value)
    return lists


@functools.cache
def _models() -> SimpleNamespace:
    import generated.models as generated

    return SimpleNamespace(**generated.MODELS)


def with_models(context: Any) -> Any:
    """Give a page's context every model of the app. Pages and these form apis declare no
    ``entities`` in app.sq, and the service functions they call read
    ``context.entities.<Name>`` as operations do."""
    context.entities = _models()
    return context


async def undo(context: Any) -> None:
    """A form's change failed and the page is drawn again with the error: roll back what
    the service wrote before it refused, and drop what it queued for after the commit
    (realtime messages, jobs, mail), exactly as a failed operation would. The unit of work
    then commits nothing."""
    await context.session.rollback()
    scope = getattr(context, "_scope", None)  # the runtime's unit of work (AfterCommit)
    if scope is not None:
        scope.discard_callbacks()
    from src.client import services

    services.forget(context)


def error_text(error: Exception) -> str:
    """One sentence for a failed form, from the service's HttpError or pydantic's errors."""
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            # A regular expression means nothing to a reader: say what is wrong instead.
            message = (
                "is not in the expected form"
                if item.get("type") == "string_pattern_mismatch"
                else str(item.get("msg"))
            )
            parts.append(f"{where}: {message}" if where else message)
        return "; ".join(parts) or "Check the form and try again."
    if isinstance(error, HttpError):
        details = error.data
        if isinstance(details, list) and details and isinstance(details[0], Mapping):
            extra = "; ".join(str(d.get("message", "")) for d in details if d.get("message"))
            return f"{error.message}: {extra}" if extra else error.message
        return error.message
    return "Something went wrong."


async def page(
    request: Any,
    context: Any,
    template: str,
    data: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> Rendered:
    """``render`` with what the layout needs: the CSRF token, the signed-in user's
    workspaces (for the switcher), the unread count and a notice from ``?done=``."""
    token, set_cookie = csrf(request)
    values: dict[str, Any] = {
        "csrf_field": CSRF_FIELD,
        "csrf_token": token,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "nav": await navigation(context),
        "path": request.url.path,
        "assets": {"css": assets.version("app.css"), "js": assets.version("app.js")},
        **(data or {}),
    }
    headers = {"Cache-Control": "no-store"}
    if set_cookie is not None:
        headers["Set-Cookie"] = set_cookie
    return render(template, values, status=status, headers=headers)


async def navigation(context: Any) -> dict[str, Any]:
    """The header's data: nothing for a visitor; the workspaces and the current one."""
    if context.user is None:
        return {"signed_in": False, "workspaces": [], "current": None}
    from src.client import services

    workspaces = [
        {**w, "role": services.role_name(w["role"])} for w in await services.my_workspaces(context)
    ]
    current_id = await services.current_workspace(context, workspaces)
    current = next((w for w in workspaces if w["id"] == current_id), None)
    admin = current is not None and services.at_least(current["role"], "ADMIN")
    unread = await services.unread_notifications(context)
    return {
        "signed_in": True,
        "workspaces": workspaces,
        "current": current,
        "admin": admin,
        "unread": unread,
    }


def options(choices: list[tuple[str, str]], selected: str | None) -> Markup:
    """``<option>`` elements for a long ``<select>``, escaped, built in Python: a Jinja loop
    costs a few microseconds per option and the audit page has 120 of them. Each value is
    escaped once into an f-string (``Markup.format`` was 7x slower: 1.9 ms a page)."""
    return Markup(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


def redirect(path: str, _anchor: str | None = None, **query: str) -> RedirectResponse:
    """The answer to a form post that worked (Post/Redirect/Get), back at ``#_anchor``."""
    target = f"{path}?{urlencode(query)}" if query else path
    if _anchor:
        target += f"#{_anchor}"
    return RedirectResponse(target, status_code=303)


Component = Callable[[Any, Any], Awaitable[Any]]


def component(fn: Component) -> Component:
    """A page or form handler: its context gets the app's models, and a 404 / 403 / 401 /
    429 of a service call becomes an HTML page with that status (a non-member sees the
    same "not found" as for a workspace that does not exist)."""

    @functools.wraps(fn)
    async def wrapped(request: Any, context: Any) -> Any:
        with_models(context)
        try:
            return await fn(request, context)
        except ValidationError as invalid:  # an argument no form of ours sends
            await undo(context)
            return await page(
                request,
                context,
                "error.html",
                {"status": 400, "message": error_text(invalid), "reason": None},
                status=400,
            )
        except HttpError as error:
            if error.status not in (401, 403, 404, 429):
                raise
            reason = error.data.get("reason") if isinstance(error.data, Mapping) else None
            if error.status == 401 and context.user is None:
                return redirect("/login", next=request.url.path)
            rendered = await page(
                request,
                context,
                "error.html",
                {
                    "status": error.status,
                    "message": error.message,
                    "reason": reason,
                    # a member the 2FA policy shuts out may still leave from here
                    "workspace_id": request.path_params.get("workspaceId"),
                },
                status=error.status,
            )
            if error.headers:
                rendered = Rendered(
                    rendered.template,
                    rendered.data,
                    rendered.status,
                    {**(rendered.headers or {}), **error.headers},
                )
            return rendered

    return wrapped

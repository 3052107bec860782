"""Hooks and signup fields of the auth test app: each hook leaves a HookLog row, written
in the auth call's own transaction, so tests can see what ran, with which arguments."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import HttpError


async def _log(context: Any, hook: str, detail: str) -> None:
    from generated.models import HookLog

    context.session.add(HookLog(hook=hook, detail=detail))
    await context.session.flush()


def signup_fields(data: dict[str, Any]) -> dict[str, Any]:
    name = data.get("displayName")
    if name is not None and (not isinstance(name, str) or len(name) > 40):
        raise ValueError("displayName must be a string of at most 40 characters")
    return {"displayName": name}


google_fields = {"displayName": lambda data: data["profile"].get("name")}


def google_config() -> dict[str, Any]:
    # No "openid": the runtime adds it; "address" shows configFn's scopes are the ones sent.
    return {"scopes": ["email", "profile", "address"]}


def reset_email(link: str, user: Any) -> dict[str, str]:
    return {
        "subject": "Your AuthTest reset link",
        "text": f"Hello {user.displayName or user.email}, reset here: {link}",
        "html": f'<p>Reset <a href="{link}">here</a></p>',
    }


async def before_signup(provider_id: Any, data: dict[str, Any], context: Any) -> None:
    if str(data.get("email", "")).endswith("@blocked.example"):
        raise HttpError(403, "Signups from this domain are closed")
    await _log(context, "before_signup", provider_id.provider_name)


async def after_signup(user: Any, provider_id: Any, oauth: Any, context: Any) -> None:
    detail = f"{provider_id.provider_name}:{user.email}:{'oauth' if oauth else 'password'}"
    await _log(context, "after_signup", detail)


async def before_login(user: Any, provider_id: Any, context: Any) -> None:
    if user.displayName == "Banned":
        raise HttpError(403, "This account is suspended")
    await _log(context, "before_login", provider_id.provider_name)


async def after_login(user: Any, session_id: str, context: Any, **_: Any) -> None:
    await _log(context, "after_login", session_id)


def after_email_verified(email: str, user: Any) -> None:
    # A sync hook with no context: run in the thread pool, given only what it asks for.
    user.displayName = user.displayName or email.split("@")[0]

"""Calling the developer's auth hooks, ``userSignupFields`` and ``getEmailContentFn``.

Every hook is called with keyword arguments; it declares the ones it wants (any
subset, or ``**kwargs`` for all), so a hook written as ``on_after_signup(user,
context)`` keeps working when more arguments are offered later. Sync functions run in
the thread pool, async ones are awaited. What each hook receives is documented in
docs/auth.md, "Hooks".
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from sentinel_spec.runtime.errors import HttpError


@dataclass(frozen=True)
class ProviderId:
    """Which identity signs in: ``("email", "ana@example.com")`` or ``("google", "<sub>")``."""

    provider_name: str
    provider_user_id: str


@dataclass(frozen=True)
class OAuthInfo:
    """What the OpenID provider said about the user (``claims`` of the verified ID token)."""

    provider_name: str
    claims: Mapping[str, Any]


def _accepted(fn: Callable[..., Any], offered: Mapping[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return dict(offered)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return dict(offered)
    names = {
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    }
    missing = [
        p.name
        for p in params
        if p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        and p.name not in offered
    ]
    if missing:
        raise TypeError(
            f"{getattr(fn, '__qualname__', fn)} asks for {', '.join(missing)}, which is not "
            f"among the arguments it is given ({', '.join(sorted(offered))})"
        )
    return {k: v for k, v in offered.items() if k in names}


async def call(fn: Callable[..., Any] | None, **offered: Any) -> Any:
    """Call ``fn`` with the keyword arguments it declares; None when there is no ``fn``."""
    if fn is None:
        return None
    kwargs = _accepted(fn, offered)
    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - callable objects with async __call__
    ):
        return await fn(**kwargs)
    result = await run_in_threadpool(lambda: fn(**kwargs))
    if inspect.isawaitable(result):
        result = await result
    return result


async def signup_fields(spec: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The user fields ``userSignupFields`` makes from ``data`` (the signup body, or the
    OpenID claims for Google).

    ``spec`` is either a mapping ``{field: fn(data)}`` (Wasp's ``defineUserSignupFields``)
    or one function ``fn(data) -> {field: value}``. A ``ValueError`` (or an ``HttpError``)
    raised by one becomes a 400 ``validation_error`` naming its field.
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        fields: dict[str, Any] = {}
        problems = []
        for name, getter in spec.items():
            try:
                fields[name] = await _one(getter, data)
            except (ValueError, TypeError) as error:
                problems.append({"field": name, "message": str(error) or f"invalid {name}"})
        if problems:
            raise HttpError(400, "Invalid signup fields", problems, code="validation_error")
        return fields
    try:
        produced = await _one(spec, data)
    except (ValueError, TypeError) as error:
        raise HttpError(
            400,
            str(error) or "Invalid signup fields",
            [{"field": "signup", "message": str(error)}],
            code="validation_error",
        ) from None
    if not isinstance(produced, Mapping):
        raise TypeError(
            f"userSignupFields {getattr(spec, '__qualname__', spec)!r} must return a dict of "
            f"user fields, not {type(produced).__name__}"
        )
    return dict(produced)


async def _one(fn: Any, data: Mapping[str, Any]) -> Any:
    if not callable(fn):
        return fn  # a constant
    if inspect.iscoroutinefunction(fn):
        return await fn(data)
    result = await run_in_threadpool(fn, data)
    if inspect.isawaitable(result):
        result = await result
    return result

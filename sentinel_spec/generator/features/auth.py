"""``app.auth``: the typed ``d.AuthDecl`` and the auth routes of RUNTIME.md.

The routes are in the plan (and so in ``openapi.json`` and ``sentinel routes``) once
``contract.features`` marks ``auth`` served.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sentinel_spec.appspec import AppSpec, Auth, ExtImport, Workspaces
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, fields_of, present
from sentinel_spec.generator.openapi import (
    BEARER,
    ERROR_REF,
    OpenApiDocument,
    any_of_null,
    documented_methods,
    object_schema,
    responses,
)


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    auth = spec.app.auth
    if auth is None:
        return
    yield from present(
        auth.on_before_signup,
        auth.on_after_signup,
        auth.on_before_login,
        auth.on_after_login,
        auth.on_after_email_verified,
    )
    google, email = auth.methods.google, auth.methods.email
    if google is not None:
        yield from present(google.config_fn, google.user_signup_fields)
    if email is not None:
        yield from present(
            email.user_signup_fields, email.verification_email_fn, email.reset_email_fn
        )


def declaration(spec: AppSpec, auth: Auth, w: DeclWriter) -> px.Call:
    user_model = px.Code(f"models.{auth.user_entity}") if spec.entities else px.lit(None)
    kwargs: Kwargs = [
        ("user_model", user_model),
        ("on_auth_failed_redirect_to", px.lit(auth.on_auth_failed_redirect_to)),
        ("on_auth_succeeded_redirect_to", px.lit(auth.on_auth_succeeded_redirect_to)),
    ]
    email = auth.methods.email
    if email is not None:
        email_kwargs: Kwargs = [
            ("from_email", px.lit(email.from_field.email)),
            ("from_name", px.lit(email.from_field.name)),
            ("email_verification_path", w.route_path(email.email_verification_route)),
            ("password_reset_path", w.route_path(email.password_reset_route)),
        ]
        email_kwargs += [
            (key, w.fn(fn))
            for key, fn in (
                ("user_signup_fields", email.user_signup_fields),
                ("verification_email_fn", email.verification_email_fn),
                ("reset_email_fn", email.reset_email_fn),
            )
            if fn is not None
        ]
        kwargs.append(("email", call("d.EmailAuthDecl", email_kwargs)))
    google = auth.methods.google
    if google is not None:
        google_kwargs: Kwargs = [
            (key, w.fn(fn))
            for key, fn in (
                ("config_fn", google.config_fn),
                ("user_signup_fields", google.user_signup_fields),
            )
            if fn is not None
        ]
        kwargs.append(("google", call("d.GoogleAuthDecl", google_kwargs)))
    kwargs.append(
        ("password_policy", call("d.PasswordPolicyDecl", fields_of(auth.password_policy)))
    )
    kwargs.append(("sessions", call("d.SessionsDecl", fields_of(auth.sessions))))
    if auth.two_factor is not None:
        kwargs.append(("two_factor", call("d.TwoFactorDecl", fields_of(auth.two_factor))))
    kwargs += [
        (key, w.fn(fn))
        for key, fn in (
            ("on_before_signup", auth.on_before_signup),
            ("on_after_signup", auth.on_after_signup),
            ("on_before_login", auth.on_before_login),
            ("on_after_login", auth.on_after_login),
            ("on_after_email_verified", auth.on_after_email_verified),
        )
        if fn is not None
    ]
    if auth.workspaces is not None:
        kwargs.append(("workspaces", workspaces(auth.workspaces)))
    return call("d.AuthDecl", kwargs)


def workspaces(rules: Workspaces) -> px.Call:
    kwargs: Kwargs = [
        ("workspace_model", px.Code(f"models.{rules.entity}")),
        ("member_model", px.Code(f"models.{rules.member_entity}")),
        ("role_field", px.lit(rules.role_field)),
        ("user_field", px.lit(rules.user_field)),
        ("workspace_field", px.lit(rules.workspace_field)),
    ]
    if rules.ip_allowlist_field is not None:
        kwargs.append(("ip_allowlist_field", px.lit(rules.ip_allowlist_field)))
    if rules.session_timeout_field is not None:
        kwargs.append(("session_timeout_field", px.lit(rules.session_timeout_field)))
    return call("d.WorkspacesDecl", kwargs)


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    auth = spec.app.auth
    return [] if auth is None else [("auth", declaration(spec, auth, w))]


def routes(spec: AppSpec) -> list[PlannedRoute]:
    auth = spec.app.auth
    if auth is None:
        return []
    return list(
        plan.auth_routes(
            email=auth.methods.email is not None,
            google=auth.methods.google is not None,
            two_factor=auth.two_factor is not None,
        )
    )


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    auth = spec.app.auth
    policy = auth.password_policy if auth is not None else None
    bodies = bodies_for(policy.min_length if policy is not None else 8)
    for planned in plan.served_only(routes(spec)):
        if planned.kind == "auth":  # the built-in pages (authPage) are HTML, not API
            add_auth(document.paths, planned, bodies, policy)


_STRING: dict[str, Any] = {"type": "string"}
_EMPTY: dict[str, Any] = object_schema({}, [], closed=True)
_USER: dict[str, Any] = {"type": "object", "description": "The user entity, as JSON"}
_SIGNED_IN: dict[str, Any] = object_schema(
    {"sessionId": _STRING, "refreshToken": any_of_null(_STRING), "user": _USER},
    ["sessionId", "refreshToken", "user"],
)
_BACKUP_CODES = object_schema({"backupCodes": {"type": "array", "items": _STRING}}, ["backupCodes"])
_SESSION = object_schema(
    {
        "id": _STRING,
        "createdAt": {"type": "string", "format": "date-time"},
        "lastSeenAt": {"type": "string", "format": "date-time"},
        "expiresAt": {"type": "string", "format": "date-time"},
        "ip": any_of_null(_STRING),
        "userAgent": any_of_null(_STRING),
        "method": _STRING,
        "current": {"type": "boolean"},
    },
    ["id", "createdAt", "lastSeenAt", "ip", "userAgent", "current"],
)
# runtime/auth/users.py: what signup and login accept as an address (trimmed and
# lowercased first), at most 254 characters.
EMAIL_PATTERN = r"^\s*[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]{2,}\s*$"
_EMAIL: dict[str, Any] = {"type": "string", "pattern": EMAIL_PATTERN, "maxLength": 254}
_ANY_TEXT: dict[str, Any] = {"type": "string"}
# Refused by the server as "required" when not a non-empty string.
_TOKEN: dict[str, Any] = {"type": "string", "minLength": 1}
_CODE: dict[str, Any] = {"type": "string", "minLength": 1}
MAX_PASSWORD_LENGTH = 1024  # runtime/auth/passwords.py


def _password(min_length: int) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": MAX_PASSWORD_LENGTH}


def bodies_for(min_length: int) -> dict[str, tuple[dict[str, Any] | None, dict[str, Any]]]:
    """name -> (request body or None, answer): RUNTIME.md's Auth table (docs/auth.md)."""
    password = _password(min_length)
    return {
        # Other fields go to userSignupFields, so the object stays open.
        "emailSignup": (
            object_schema({"email": _EMAIL, "password": password}, ["email", "password"]),
            _EMPTY,
        ),
        "emailVerify": (object_schema({"token": _ANY_TEXT}, ["token"]), _EMPTY),
        "emailResendVerification": (object_schema({"email": _EMAIL}, ["email"]), _EMPTY),
        "emailLogin": (
            object_schema(
                {
                    "email": _ANY_TEXT,
                    "password": _ANY_TEXT,
                    "totp": _ANY_TEXT,
                    "backupCode": _ANY_TEXT,
                },
                ["email", "password"],
            ),
            _SIGNED_IN,
        ),
        "emailRequestReset": (object_schema({"email": _EMAIL}, ["email"]), _EMPTY),
        "emailResetPassword": (
            object_schema({"token": _ANY_TEXT, "password": password}, ["token", "password"]),
            _EMPTY,
        ),
        "googleLogin": (None, _EMPTY),
        "googleCallback": (None, _EMPTY),
        "refresh": (object_schema({"refreshToken": _TOKEN}, ["refreshToken"]), _SIGNED_IN),
        # Only `true` ends every session; anything else ends this one.
        "logout": (object_schema({"all": {}}, []), _EMPTY),
        "me": (None, _USER),
        "sessions": (None, {"type": "array", "items": _SESSION}),
        "endSession": (None, _EMPTY),
        "twoFactorVerify": (
            object_schema({"code": _CODE, "pendingToken": _ANY_TEXT}, ["code"]),
            _SIGNED_IN,
        ),
        "twoFactorSetup": (
            None,
            object_schema(
                {"secret": _STRING, "otpauthUrl": _STRING, "qrSvg": _STRING},
                ["secret", "otpauthUrl", "qrSvg"],
            ),
        ),
        "twoFactorEnable": (object_schema({"code": _CODE}, ["code"]), _BACKUP_CODES),
        "twoFactorDisable": (
            object_schema({"password": _ANY_TEXT, "code": _CODE}, ["code"]),
            _EMPTY,
        ),
        "twoFactorBackupCodes": (object_schema({"code": _CODE}, ["code"]), _BACKUP_CODES),
    }


BODIES = bodies_for(8)

# Answers besides the success the server gives for requests the schema allows: they
# depend on stored state (a token, a code, an account) or on rules JSON Schema cannot
# state exactly (the password policy's character classes are Unicode categories).
_STATE_ERRORS: dict[str, dict[str, str]] = {
    "emailSignup": {
        "400": "the password breaks passwordPolicy (its character rules), or the mailer "
        "cannot send to the address (RFC 5321 rules: byte lengths, atoms, labels)",
        "409": "another unique field of the user is taken",
    },
    "emailVerify": {"400": "the link is unknown, used or expired"},
    "emailResendVerification": {"400": "the mailer cannot send to the address"},
    "emailRequestReset": {"400": "the mailer cannot send to the address"},
    "emailResetPassword": {
        "400": "the link is unknown, used or expired, or the password breaks the policy"
    },
    "emailLogin": {
        "401": "wrong address or password, or a two-factor code is needed "
        "(details.twoFactorRequired)",
        "403": "the address is not verified",
    },
    "refresh": {"401": "unknown, expired or reused refresh token"},
    "twoFactorVerify": {"401": "no pending sign-in, or a wrong code"},
    "twoFactorEnable": {"403": "a wrong code", "409": "already enabled, or no setup"},
    "twoFactorDisable": {"403": "wrong password or code", "409": "not enabled"},
    "twoFactorBackupCodes": {"403": "wrong code", "409": "not enabled"},
    "endSession": {"404": "no such session of this user"},
}


def add_auth(
    paths: dict[str, dict[str, Any]],
    planned: PlannedRoute,
    bodies: dict[str, tuple[dict[str, Any] | None, dict[str, Any]]] | None = None,
    policy: Any = None,
) -> None:
    """An auth route with its body and answers (RUNTIME.md's Auth table)."""
    request, answer = (bodies or BODIES).get(planned.name, (None, {}))
    item = paths.setdefault(planned.path, {})
    error = {"content": {"application/json": {"schema": ERROR_REF}}}
    for method in documented_methods(planned):
        entry: dict[str, Any] = {
            "tags": ["auth"],
            "operationId": f"auth_{planned.name}",
            "summary": f"auth {planned.name}",
            "responses": responses(answer),
        }
        if planned.name == "emailSignup":
            entry["responses"] = {"201": entry["responses"].pop("200"), **entry["responses"]}
            if policy is not None:
                entry["description"] = _policy_text(policy)
        if planned.name in ("googleLogin", "googleCallback"):
            entry["responses"] = {"302": {"description": "Redirect"}, **entry["responses"]}
            entry["responses"].pop("200")
        for status, why in _STATE_ERRORS.get(planned.name, {}).items():
            entry["responses"][status] = {"description": why, **error}
        entry["responses"]["429"] = {"description": "too many attempts (Retry-After)", **error}
        if request is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": request}},
            }
        if "{sessionId}" in planned.path:
            entry["parameters"] = [
                {"name": "sessionId", "in": "path", "required": True, "schema": _STRING}
            ]
        if planned.auth:
            entry["security"] = BEARER
        item[method] = entry


def _policy_text(policy: Any) -> str:
    rules = [f"at least {policy.min_length} characters"]
    for flag, words in (
        ("require_upper", "an uppercase letter"),
        ("require_lower", "a lowercase letter"),
        ("require_digit", "a digit"),
        ("require_symbol", "a symbol"),
    ):
        if getattr(policy, flag):
            rules.append(words)
    return "The password needs " + ", ".join(rules) + " (Unicode categories)."

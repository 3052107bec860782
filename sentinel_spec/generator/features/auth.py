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
    for planned in plan.served_only(routes(spec)):
        if planned.kind == "auth":  # the built-in pages (authPage) are HTML, not API
            add_auth(document.paths, planned)


_STRING: dict[str, Any] = {"type": "string"}
_EMPTY: dict[str, Any] = {"type": "object", "properties": {}}
_SIGNED_IN: dict[str, Any] = object_schema(
    {"sessionId": _STRING, "refreshToken": any_of_null(_STRING), "user": {"type": "object"}},
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


def _body(**fields: bool) -> dict[str, Any]:
    """An object of string fields; the flag says whether each is required."""
    return object_schema(
        {k: _STRING for k in fields}, [k for k, needed in fields.items() if needed]
    )


# name -> (request body or None, answer): RUNTIME.md's Auth table (docs/auth.md, Routes).
BODIES: dict[str, tuple[dict[str, Any] | None, dict[str, Any]]] = {
    "emailSignup": (
        {**_body(email=True, password=True), "additionalProperties": True},
        _EMPTY,
    ),
    "emailVerify": (_body(token=True), _EMPTY),
    "emailResendVerification": (_body(email=True), _EMPTY),
    "emailLogin": (_body(email=True, password=True, totp=False), _SIGNED_IN),
    "emailRequestReset": (_body(email=True), _EMPTY),
    "emailResetPassword": (_body(token=True, password=True), _EMPTY),
    "googleLogin": (None, _EMPTY),
    "googleCallback": (None, _EMPTY),
    "refresh": (_body(refreshToken=True), _SIGNED_IN),
    "logout": (object_schema({"all": {"type": "boolean"}}, []), _EMPTY),
    "me": (None, {"type": "object"}),
    "sessions": (None, {"type": "array", "items": _SESSION}),
    "endSession": (None, _EMPTY),
    "twoFactorVerify": (_body(code=True, pendingToken=False), _SIGNED_IN),
    "twoFactorSetup": (
        None,
        object_schema(
            {"secret": _STRING, "otpauthUrl": _STRING, "qrSvg": _STRING},
            ["secret", "otpauthUrl", "qrSvg"],
        ),
    ),
    "twoFactorEnable": (_body(code=True), _BACKUP_CODES),
    "twoFactorDisable": (_body(password=False, code=True), _EMPTY),
    "twoFactorBackupCodes": (_body(code=True), _BACKUP_CODES),
}


def add_auth(paths: dict[str, dict[str, Any]], planned: PlannedRoute) -> None:
    """An auth route with its body and answer (RUNTIME.md's Auth table)."""
    request, answer = BODIES.get(planned.name, (None, {}))
    item = paths.setdefault(planned.path, {})
    for method in documented_methods(planned):
        entry: dict[str, Any] = {
            "tags": ["auth"],
            "operationId": f"auth_{planned.name}",
            "summary": f"auth {planned.name}",
            "responses": responses(answer),
        }
        if planned.name == "emailSignup":
            entry["responses"] = {"201": entry["responses"].pop("200"), **entry["responses"]}
        if planned.name in ("googleLogin", "googleCallback"):
            entry["responses"] = {"302": {"description": "Redirect"}, **entry["responses"]}
            entry["responses"].pop("200")
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

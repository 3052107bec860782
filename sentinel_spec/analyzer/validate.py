"""Rules beyond the schema: one small function per rule, each returning its errors.

Names, paths, ranges, jobs and, through ``entity_rules``, the data model. Every rule
sees every declaration, including those the schema check found fault with, so a rule
skips a value of the wrong shape (already reported) instead of reporting it twice.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sentinel_spec import ast, kinds
from sentinel_spec.analyzer.auth_rules import AUTH_RULES
from sentinel_spec.analyzer.context import Context, entry, value
from sentinel_spec.analyzer.entity_rules import ENTITY_RULES
from sentinel_spec.analyzer.messages import suggest, with_article
from sentinel_spec.analyzer.realtime_rules import REALTIME_RULES
from sentinel_spec.analyzer.resolve import decl_kind
from sentinel_spec.analyzer.routes import ROUTE_RULES
from sentinel_spec.analyzer.schema import JOB_OPTIONS
from sentinel_spec.analyzer.server_rules import SERVER_RULES
from sentinel_spec.appspec import SCALAR_TYPES
from sentinel_spec.errors import SourceSpan, SpecError
from sentinel_spec.literals import shown
from sentinel_spec.runtime.jobs.cron import cron_problem

Rule = Callable[[Context], list[SpecError]]


def exactly_one_app(ctx: Context) -> list[SpecError]:
    apps = ctx.of_kind("app")
    if not apps:
        # The first character, or nothing at all in an empty file: never past its end.
        width = min(1, ctx.module.span.end_offset)
        span = SourceSpan(1, 1, 1, 1 + width, 0, width, ctx.file)
        return [SpecError(span, "missing `app` declaration: a spec needs exactly one `app`")]
    first = apps[0]
    return [
        SpecError(
            extra.name.span,
            f"second `app` declaration `{extra.name.name}`: "
            f"`{first.name.name}` on line {first.name.span.line} is the app",
        )
        for extra in apps[1:]
    ]


def name_case(ctx: Context) -> list[SpecError]:
    """Each kind's ``case`` (``kinds.py``): queries start lowercase, pages uppercase..."""
    errors: list[SpecError] = []
    for k in kinds.KINDS:
        if k.case is None:
            continue
        if k.form == "entity":
            idents = [e.node.name for e in ctx.entities.values()]
        elif k.form == "enum":
            idents = [e.name for e in ctx.enums.values()]
        else:
            idents = [decl.name for decl in ctx.of_kind(k.name)]
        for ident in idents:
            first = ident.name[:1]
            if first.islower() if k.case == "lower" else first.isupper():
                continue
            errors.append(
                SpecError(
                    ident.span,
                    f"{k.name} name `{ident.name}` must start with "
                    f"{'a lowercase' if k.case == 'lower' else 'an uppercase'} letter",
                )
            )
    return errors


def python_keywords(ctx: Context) -> list[SpecError]:
    """Names become Python identifiers in generated code, where a keyword cannot stand."""
    # What each name names is worded only for a keyword (this runs on every keystroke).
    named: list[tuple[str, ast.Ident]] = []
    for decl in ctx.module.declarations:
        if keyword.iskeyword(decl.name.name):
            named.append((with_article(decl_kind(decl)), decl.name))
    for info in ctx.entities.values():
        for f in info.fields:
            if keyword.iskeyword(f.node.name.name):
                named.append((f"a field of entity `{info.name}`", f.node.name))
    for enum in ctx.enums.values():
        for m in enum.members:
            if keyword.iskeyword(m.name):
                named.append((f"a member of enum `{enum.name.name}`", m))
    return [
        SpecError(
            ident.span,
            f"`{ident.name}` is a Python keyword and cannot name {what}",
            "choose another name; generated code could not use this one",
        )
        for what, ident in named
    ]


def enum_members(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for enum in ctx.enums.values():
        seen: set[str] = set()
        for member in enum.members:
            if member.name in seen:
                errors.append(
                    SpecError(
                        member.span,
                        f"duplicate member `{member.name}` in enum `{enum.name.name}`",
                    )
                )
            seen.add(member.name)
    return errors


def scalar_type_names(ctx: Context) -> list[SpecError]:
    """``entity String`` would be shadowed by the scalar type in every field that names it."""
    named = [("entity", info.node.name) for info in ctx.entities.values()]
    named += [("enum", enum.name) for enum in ctx.enums.values()]
    return [
        SpecError(
            ident.span,
            f"{kind} name `{ident.name}` is a built-in scalar type",
            "choose another name",
        )
        for kind, ident in named
        if ident.name in SCALAR_TYPES
    ]


def email_auth_needs_sender(ctx: Context) -> list[SpecError]:
    app = ctx.app
    if app is None:
        return []
    email = value(app.body, "auth", "methods", "email")
    methods = value(app.body, "auth", "methods")
    if email is None or not isinstance(methods, ast.DictExpr) or entry(app.body, "emailSender"):
        return []
    email_entry = entry(methods, "email")
    assert email_entry is not None
    return [
        SpecError(
            email_entry.key.span,
            "`email` auth needs `app.emailSender` to send verification and reset emails",
        )
    ]


def number_ranges(ctx: Context) -> list[SpecError]:
    """Numbers whose type fits but whose value cannot mean anything."""
    app = ctx.app
    if app is None:
        return []
    errors: list[SpecError] = []
    rate = value(app.body, "server", "sentry", "tracesSampleRate")
    if isinstance(rate, ast.NumberLit) and not 0 <= rate.value <= 1:
        errors.append(
            SpecError(rate.span, "`tracesSampleRate` is a fraction of requests, from 0 to 1")
        )
    length = value(app.body, "auth", "passwordPolicy", "minLength")
    if isinstance(length, ast.NumberLit) and length.value < 1:
        errors.append(SpecError(length.span, "`minLength` of a password must be at least 1"))
    return errors


def auth_needs_app_auth(ctx: Context) -> list[SpecError]:
    if ctx.app is None or ctx.has_auth:
        return []
    errors: list[SpecError] = []
    for kind, key in (
        ("query", "auth"),
        ("action", "auth"),
        ("api", "auth"),
        ("websocket", "auth"),
        ("page", "authRequired"),
    ):
        for decl in ctx.of_kind(kind):
            flag = value(decl.body, key)
            if isinstance(flag, ast.BoolLit) and flag.value:
                errors.append(
                    SpecError(
                        flag.span,
                        f"`{key}: true` on {kind} `{decl.name.name}` needs `auth` in `app`",
                    )
                )
    return errors


def _path_problem(path: str) -> str | None:
    if not path.startswith("/"):
        return "must start with `/`"
    for segment in path.split("/")[1:]:
        if segment.startswith(":") and not segment[1:].isidentifier():
            return f"has an invalid parameter segment `{segment}` (`:name` with an identifier)"
    return None


def normalised(path: str) -> str:
    """``/a/:x`` and ``/a/:y`` are the same route."""
    return "/".join(":" if s.startswith(":") else s for s in path.rstrip("/").split("/")) or "/"


def _string_at(decl: ast.Decl, *path: str) -> ast.StringLit | None:
    found = value(decl.body, *path)
    return found if isinstance(found, ast.StringLit) else None


def _api_route(decl: ast.Decl) -> tuple[str, ast.StringLit] | None:
    route = value(decl.body, "httpRoute")
    if not isinstance(route, ast.TupleExpr) or len(route.items) != 2:
        return None
    method, path = route.items
    if not isinstance(method, ast.Ref) or not isinstance(path, ast.StringLit):
        return None
    return method.name, path


def api_paths(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for decl in ctx.of_kind("api"):
        route = _api_route(decl)
        problem = _path_problem(route[1].value) if route else None
        if route and problem:
            errors.append(SpecError(route[1].span, f"api path `{route[1].value}` {problem}"))
    for decl in ctx.of_kind("apiNamespace"):
        path = _string_at(decl, "path")
        problem = _path_problem(path.value) if path else None
        if path and problem:
            errors.append(SpecError(path.span, f"apiNamespace path `{path.value}` {problem}"))
    return errors


def api_conflicts(ctx: Context) -> list[SpecError]:
    claimed: dict[str, list[tuple[str, ast.Decl]]] = {}  # normalised path -> (method, api)
    errors: list[SpecError] = []
    for decl in ctx.of_kind("api"):
        route = _api_route(decl)
        if route is None:
            continue
        method, path = route
        others = claimed.setdefault(normalised(path.value), [])
        for other_method, other in others:
            if method == other_method or "ALL" in (method, other_method):
                errors.append(
                    SpecError(
                        path.span,
                        f"api `{decl.name.name}` claims `{method} {path.value}`, already "
                        f"claimed by api `{other.name.name}` ({other_method}) "
                        f"on line {other.name.span.line}",
                    )
                )
                break
        else:
            others.append((method, decl))
    return errors


def _unique_paths(ctx: Context, kind: str, taken: dict[str, ast.Decl]) -> list[SpecError]:
    errors: list[SpecError] = []
    for decl in ctx.of_kind(kind):
        path = _string_at(decl, "path")
        if path is None:
            continue
        problem = _path_problem(path.value)
        if problem:
            errors.append(SpecError(path.span, f"{kind} path `{path.value}` {problem}"))
            continue
        other = taken.get(normalised(path.value))
        if other is not None:
            errors.append(
                SpecError(
                    path.span,
                    f"{kind} path `{path.value}` is already used by {other.kind.name} "
                    f"`{other.name.name}` on line {other.name.span.line}",
                )
            )
        else:
            taken[normalised(path.value)] = decl
    return errors


def route_paths(ctx: Context) -> list[SpecError]:
    return _unique_paths(ctx, "route", {})


def websocket_paths(ctx: Context) -> list[SpecError]:
    taken: dict[str, ast.Decl] = {}
    for decl in ctx.of_kind("api"):
        route = _api_route(decl)
        if route is not None:
            taken.setdefault(normalised(route[1].value), decl)
    return _unique_paths(ctx, "websocket", taken)


def job_schedule(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for decl in ctx.of_kind("job"):
        cron = _string_at(decl, "schedule", "cron")
        problem = None if cron is None else cron_problem(cron.value)
        if cron is not None and problem is not None:
            errors.append(
                SpecError(cron.span, f"invalid cron expression `{cron.value}`: {problem}")
            )
        timezone = _string_at(decl, "schedule", "timezone")
        if timezone is not None and not _is_timezone(timezone.value):
            message = f"unknown timezone `{shown(timezone.value)}`"
            message = suggest(message, timezone.value, _zone_names())
            errors.append(SpecError(timezone.span, message))
    return errors


@cache
def _zone_names() -> frozenset[str]:
    """The zones for "did you mean": read once (each call walks the zoneinfo folders)."""
    return frozenset(available_timezones())


# No IANA zone key comes near this; a longer one is a file name the OS refuses.
_MAX_TIMEZONE_CHARS = 255


def _is_timezone(name: str) -> bool:
    if len(name) > _MAX_TIMEZONE_CHARS:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: the lookup opens a file named after the key (tzdata's, when installed),
        # and the OS may refuse the name (ENAMETOOLONG, EISDIR...): not a zone either way.
        return False
    return True


def job_executor_options(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for decl in ctx.of_kind("job"):
        options = value(decl.body, "perform", "executorOptions", "pgBoss")
        if not isinstance(options, ast.JsonExpr) or not options.ok:
            continue  # not JSON: the parser has said so
        if not isinstance(options.value, dict):
            errors.append(SpecError(options.span, "`pgBoss` options must be a JSON object"))
            continue
        for key, option in options.value.items():
            known = JOB_OPTIONS.get(key)
            if known is None:
                message = f"unknown pgBoss option `{key}` in job `{decl.name.name}`"
                errors.append(SpecError(options.span, suggest(message, key, JOB_OPTIONS)))
                continue
            problem = _job_option_problem(key, option, known.type)
            if problem is not None:
                errors.append(
                    SpecError(
                        options.span,
                        f"pgBoss option `{key}` in job `{decl.name.name}` {problem}",
                    )
                )
    return errors


_WANTED = {int: "an integer", str: "a string", bool: "a boolean"}


def _job_option_problem(key: str, option: object, expected: type | tuple[type, ...]) -> str | None:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(option, bool) and bool not in kinds:
        option = None  # JSON true is not an integer here
    if not isinstance(option, kinds):
        return "must be " + " or ".join(_WANTED[kind] for kind in kinds)
    if key == "startAfter" and isinstance(option, str):
        try:
            datetime.fromisoformat(option)
        except ValueError:
            return (
                f'must be seconds or an ISO date like "2026-01-31" or '
                f'"2026-01-31T09:00:00Z" (got {option!r})'
            )
    if key in ("retryLimit", "retryDelay", "expireInSeconds", "startAfter") and (
        isinstance(option, int) and not isinstance(option, bool) and option < 0
    ):
        return "must not be negative"
    return None


def crud_entity_has_single_id(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for decl in ctx.of_kind("crud"):
        ref = value(decl.body, "entity")
        if not isinstance(ref, ast.Ref):
            continue
        info = ctx.entities.get(ref.name)
        if info is not None and len(info.primary_key) > 1:
            errors.append(
                SpecError(
                    ref.span,
                    f"crud `{decl.name.name}` cannot serve entity `{ref.name}`: its id is "
                    f"composite ({', '.join(info.primary_key)}), and crud operations "
                    "address a row by a single `id`",
                )
            )
    return errors


RULES: tuple[Rule, ...] = (
    exactly_one_app,
    name_case,
    python_keywords,
    enum_members,
    scalar_type_names,
    email_auth_needs_sender,
    auth_needs_app_auth,
    number_ranges,
    api_paths,
    api_conflicts,
    route_paths,
    websocket_paths,
    *ROUTE_RULES,
    job_schedule,
    job_executor_options,
    crud_entity_has_single_id,
    *AUTH_RULES,
    *REALTIME_RULES,
    *SERVER_RULES,
    *ENTITY_RULES,
)


def validate(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for rule in RULES:
        errors.extend(rule(ctx))
    return errors

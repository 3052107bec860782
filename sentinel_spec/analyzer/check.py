"""Type-check declaration bodies against ``schema.py``: fields, value types, references, imports.

``build.py`` runs only when this pass and ``validate.py`` found nothing, so it reads
bodies without re-checking them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sentinel_spec import ast
from sentinel_spec.analyzer import schema as s
from sentinel_spec.analyzer.messages import suggest
from sentinel_spec.analyzer.resolve import ImportResolver, Namespace, check_reference
from sentinel_spec.analyzer.units import parse_duration, parse_rate, parse_size
from sentinel_spec.appspec import HTTP_METHODS
from sentinel_spec.errors import SpecError
from sentinel_spec.literals import LiteralError, shown


def describe(expr: ast.Expr) -> str:
    """What a value is, for ``expected X, got Y``."""
    if isinstance(expr, ast.StringLit):
        return "a string"
    if isinstance(expr, ast.BoolLit):
        return "a boolean"
    if isinstance(expr, ast.NumberLit):
        return "a number"
    if isinstance(expr, ast.Ref):
        return f"`{expr.name}`"
    if isinstance(expr, ast.DictExpr):
        return "a dict"
    if isinstance(expr, ast.ListExpr):
        return "a list"
    if isinstance(expr, ast.TupleExpr):
        return "a tuple"
    if isinstance(expr, ast.ImportExpr):
        return "an import"
    if isinstance(expr, ast.JsonExpr):
        return "a json block"
    return "`env(...)`"


@dataclass
class Checker:
    namespace: Namespace
    imports: ImportResolver

    def check_decl(self, decl: ast.Decl) -> list[SpecError]:
        kind = decl.kind.name
        body_schema = s.DECL_SCHEMAS.get(kind)
        if body_schema is None:
            message = suggest(f"unknown declaration kind `{kind}`", kind, s.DECL_SCHEMAS)
            return [SpecError(decl.kind.span, message)]
        errors: list[SpecError] = []
        self._dict(decl.body, body_schema, f"{kind} `{decl.name.name}`", decl.name, errors)
        return errors

    def _dict(
        self,
        body: ast.DictExpr,
        schema: s.DictT,
        where: str,
        owner: ast.Ident,
        errors: list[SpecError],
    ) -> None:
        """Check a dict body; ``owner`` is where a missing field is reported."""
        seen: set[str] = set()
        for entry in body.entries:
            key = entry.key.name
            if key in seen:
                continue  # the parser reports duplicate keys
            seen.add(key)
            spec = schema.fields.get(key)
            if spec is None:
                message = suggest(f"unknown field `{key}` in {where}", key, schema.fields)
                errors.append(SpecError(entry.key.span, message))
                continue
            self._value(entry.value, spec.type, key, entry.key, errors)
        for key, spec in schema.fields.items():
            if spec.required and key not in seen:
                errors.append(SpecError(owner.span, f"missing required field `{key}` in {where}"))

    def _mismatch(self, expr: ast.Expr, t: s.Type, key: str, errors: list[SpecError]) -> None:
        message = f"expected {t.expected} for `{key}`, got {describe(expr)}"
        if isinstance(expr, ast.EnvExpr):
            message += " (`env(...)` is only for server settings read at start-up)"
        if isinstance(t, s.ChoiceT):
            message = _choice_hint(message, expr, t.options)
        errors.append(SpecError(expr.span, message))

    def _value(
        self, expr: ast.Expr, t: s.Type, key: str, owner: ast.Ident, errors: list[SpecError]
    ) -> None:
        if isinstance(t, s.StrT):
            if not isinstance(expr, ast.StringLit):
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.IntT):
            if not (isinstance(expr, ast.NumberLit) and isinstance(expr.value, int)):
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.FloatT):
            if not isinstance(expr, ast.NumberLit):
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.BoolT):
            if not isinstance(expr, ast.BoolLit):
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.DurationT | s.SizeT | s.RateT):
            self._unit_string(expr, t, key, errors)
        elif isinstance(t, s.ChoiceT):
            if not isinstance(expr, ast.Ref) or expr.name not in t.options:
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.DeclRefT):
            if not isinstance(expr, ast.Ref):
                self._mismatch(expr, t, key, errors)
            else:
                error = check_reference(self.namespace, expr.name, expr.span, t.kind)
                if error is not None:
                    errors.append(error)
        elif isinstance(t, s.ImportT):
            if not isinstance(expr, ast.ImportExpr):
                self._mismatch(expr, t, key, errors)
            else:
                errors.extend(self.imports.check(expr))
        elif isinstance(t, s.JsonT):
            if not isinstance(expr, ast.JsonExpr):
                self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.HttpRouteT):
            self._http_route(expr, t, key, errors)
        elif isinstance(t, s.ListT):
            if not isinstance(expr, ast.ListExpr):
                self._mismatch(expr, t, key, errors)
            else:
                for item in expr.items:
                    self._value(item, t.item, key, owner, errors)
        elif isinstance(t, s.EnvT):
            if isinstance(expr, ast.EnvExpr):
                self._env(expr, t.inner, key, owner, errors)
            else:
                self._value(expr, t.inner, key, owner, errors)
        elif isinstance(t, s.OneOfT):
            for option in t.options:
                if _outer_form_fits(expr, option):
                    self._value(expr, option, key, owner, errors)
                    return
            self._mismatch(expr, t, key, errors)
        elif not isinstance(expr, ast.DictExpr):
            self._mismatch(expr, t, key, errors)
        elif isinstance(t, s.MapT):
            for entry in expr.entries:
                self._value(entry.value, t.value, entry.key.name, entry.key, errors)
        else:
            self._dict(expr, t, f"`{key}`", owner, errors)

    def _unit_string(
        self, expr: ast.Expr, t: s.DurationT | s.SizeT | s.RateT, key: str, errors: list[SpecError]
    ) -> None:
        if not isinstance(expr, ast.StringLit):
            self._mismatch(expr, t, key, errors)
            return
        parse, what = {
            s.DurationT: (parse_duration, "duration"),
            s.SizeT: (parse_size, "size"),
            s.RateT: (parse_rate, "rate limit"),
        }[type(t)]
        try:
            parsed: object = parse(expr.value)
        except LiteralError as bad:
            message = f"invalid {what} `{shown(expr.value)}` for `{key}`: {bad.message}"
            errors.append(SpecError(expr.span, message, bad.hint))
            return
        if parsed is None:
            errors.append(
                SpecError(
                    expr.span,
                    f"invalid {what} `{shown(expr.value)}` for `{key}`: expected {t.expected}",
                )
            )

    def _http_route(
        self, expr: ast.Expr, t: s.HttpRouteT, key: str, errors: list[SpecError]
    ) -> None:
        if not isinstance(expr, ast.TupleExpr):
            self._mismatch(expr, t, key, errors)
            return
        if len(expr.items) != 2:
            errors.append(
                SpecError(
                    expr.span,
                    f"`{key}` takes exactly 2 items (method, path), got {len(expr.items)}",
                )
            )
            return
        method, path = expr.items
        methods = s.ChoiceT(HTTP_METHODS)
        if not isinstance(method, ast.Ref) or method.name not in HTTP_METHODS:
            message = (
                f"expected an http method ({methods.expected}) in `{key}`, got {describe(method)}"
            )
            errors.append(SpecError(method.span, _choice_hint(message, method, HTTP_METHODS)))
        if not isinstance(path, ast.StringLit):
            errors.append(
                SpecError(path.span, f"expected a path string in `{key}`, got {describe(path)}")
            )

    def _env(
        self, expr: ast.EnvExpr, inner: s.Type, key: str, owner: ast.Ident, errors: list[SpecError]
    ) -> None:
        default = expr.default
        if default is None:
            return
        if not isinstance(default, ast.StringLit | ast.NumberLit | ast.BoolLit):
            errors.append(
                SpecError(
                    default.span,
                    f"`env(...)` default for `{key}` must be a string, number or boolean, "
                    f"got {describe(default)}",
                )
            )
            return
        # The default stands in for the value, so it must be what the field takes.
        problems: list[SpecError] = []
        self._value(default, inner, key, owner, problems)
        if problems:
            errors.append(
                SpecError(
                    default.span,
                    f"`env(...)` default for `{key}` must be {inner.expected}, "
                    f"got {describe(default)}",
                )
            )


def _outer_form_fits(expr: ast.Expr, t: s.Type) -> bool:
    if isinstance(t, s.ListT):
        return isinstance(expr, ast.ListExpr)
    if isinstance(t, s.DictT | s.MapT):
        return isinstance(expr, ast.DictExpr)
    if isinstance(t, s.StrT | s.DurationT | s.SizeT | s.RateT):
        return isinstance(expr, ast.StringLit)
    return True


def _choice_hint(message: str, expr: ast.Expr, options: Iterable[str]) -> str:
    """``message`` with ``; did you mean `GET`?`` for a misspelt choice."""
    return suggest(message, expr.name, options) if isinstance(expr, ast.Ref) else message

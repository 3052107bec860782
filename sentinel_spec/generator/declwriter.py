"""``DeclWriter``: the Python expressions ``generated/server.py`` is made of, shared by the
feature modules (``generator/features/``) that each write their part of ``d.AppDecl``."""

from __future__ import annotations

import dataclasses

from sentinel_spec.appspec import AppSpec, Configurable, EnvValue, ExtImport, RateLimit
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.imports import ImportTable
from sentinel_spec.generator.settings import env_call, env_uses

Kwargs = list[tuple[str, px.Expr]]


class DeclWriter:
    def __init__(self, spec: AppSpec, table: ImportTable) -> None:
        self.spec = spec
        self.table = table
        self.where = {id(env): path for path, env in env_uses(spec)}

    def fn(self, fn: ExtImport | None) -> px.Expr:
        """The local name a developer function is imported as (or ``None``)."""
        return px.Code(self.table.local(fn)) if fn is not None else px.lit(None)

    def configurable(self, value: Configurable) -> px.Expr:
        if isinstance(value, EnvValue):
            return env_call("d.Env", value, self.where.get(id(value), ""))
        if isinstance(value, list):
            return px.Tuple(tuple(px.lit(v) for v in value))
        return px.literal(value)

    def entities(self, names: tuple[str, ...]) -> Kwargs:
        if not names:
            return []
        items = tuple((px.lit(n), px.Code(f"models.{n}")) for n in names)
        return [("entities", px.Dict(items))]

    def rate_limit_call(self, limit: RateLimit) -> px.Call:
        return px.Call(
            "d.RateLimit",
            kwargs=(
                ("limit", px.lit(limit.limit)),
                ("per_seconds", px.lit(limit.per_seconds)),
                ("by", px.lit(limit.by)),
            ),
        )

    def rate_limit(self, limit: RateLimit | None) -> Kwargs:
        return [] if limit is None else [("rate_limit", self.rate_limit_call(limit))]

    def route_path(self, route_name: str | None) -> px.Expr:
        """The path of the client route named ``route_name`` (``None`` when unnamed)."""
        for route in self.spec.routes:
            if route.name == route_name:
                return px.lit(route.path)
        return px.lit(None)


def call(func: str, kwargs: Kwargs) -> px.Call:
    """``func(key=value, ...)``, one argument a line."""
    return px.Call(func, kwargs=tuple(kwargs), explode=True)


def fields_of(value: object) -> Kwargs:
    """A dataclass's fields as keyword arguments, for a contract class of the same shape."""
    assert dataclasses.is_dataclass(value)
    return [(f.name, px.lit(getattr(value, f.name))) for f in dataclasses.fields(value)]


def present(*fns: ExtImport | None) -> list[ExtImport]:
    return [fn for fn in fns if fn is not None]

"""``generated/settings.py``: every ``env(...)`` of the spec, checked together at start-up."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, EnvValue
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.drafts import HEADER, FileDraft
from sentinel_spec.generator.templating import render


def env_uses(spec: AppSpec) -> Iterator[tuple[str, EnvValue]]:
    """Each ``env(...)`` of the spec with the attribute path it sits at (``app.server...``)."""
    yield from _walk(spec.app, "app")


def _walk(value: object, path: str) -> Iterator[tuple[str, EnvValue]]:
    if isinstance(value, EnvValue):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")


def env_call(func: str, env: EnvValue, where: str) -> px.Call:
    """``Env("NAME", default, required=False, where=...)`` with only what differs from defaults."""
    args: list[px.Expr] = [px.lit(env.name)]
    kwargs: list[tuple[str, px.Expr]] = []
    if env.default is not None or not env.required:
        args.append(px.literal(env.default))
    if not env.required:
        kwargs.append(("required", px.lit(False)))
    kwargs.append(("where", px.lit(where)))
    return px.Call(func, tuple(args), tuple(kwargs))


def generate(spec: AppSpec) -> list[FileDraft]:
    first: dict[str, EnvValue] = {}
    places: dict[str, list[str]] = {}
    for path, env in env_uses(spec):
        first.setdefault(env.name, env)
        places.setdefault(env.name, []).append(path)
    entries = [
        (
            places[name],
            px.render(env_call("Env", first[name], ", ".join(places[name])), 1, suffix=1),
        )
        for name in sorted(first)
    ]
    content = render("settings.py.jinja", header=HEADER, entries=entries)
    return [FileDraft("settings.py", content)]

"""Reading the declaration schemas (``analyzer/schema.py``) by path, for the editor.

A path is the declaration kind and the keys down to a field: ``("query", "rateLimit",
"by")``; ``"[]"`` steps into a list's items. Completion and hover read field names and
types from here, so the editor knows exactly the fields the checker accepts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sentinel_spec.analyzer import schema as s


def unwrap(t: s.Type) -> list[s.Type]:
    """The forms a value of type ``t`` may take (``env(...)`` and alternatives opened)."""
    if isinstance(t, s.EnvT):
        return unwrap(t.inner)
    if isinstance(t, s.OneOfT):
        return [u for option in t.options for u in unwrap(option)]
    return [t]


def type_at(path: Sequence[str]) -> s.Type | None:
    """The type of the value at ``path``; the kind alone gives its body's ``DictT``."""
    if not path:
        return None
    current: s.Type | None = s.DECL_SCHEMAS.get(path[0])
    for step in path[1:]:
        if current is None:
            return None
        current = _step(current, step)
    return current


def _step(t: s.Type, step: str) -> s.Type | None:
    for form in unwrap(t):
        if step == "[]" and isinstance(form, s.ListT):
            return form.item
        if isinstance(form, s.DictT) and step in form.fields:
            return form.fields[step].type
    return None


def field_at(path: Sequence[str]) -> s.FieldSpec | None:
    """The ``FieldSpec`` (type and whether it is required) of the last key of ``path``."""
    if len(path) < 2:
        return None
    parent = type_at(path[:-1])
    for form in unwrap(parent) if parent is not None else []:
        if isinstance(form, s.DictT) and path[-1] in form.fields:
            return form.fields[path[-1]]
    return None


def dict_fields(path: Sequence[str]) -> dict[str, s.FieldSpec]:
    """The fields a dict at ``path`` may have (empty when it is not a dict)."""
    t = type_at(path)
    for form in unwrap(t) if t is not None else []:
        if isinstance(form, s.DictT):
            return form.fields
    return {}


def all_paths() -> Iterator[str]:
    """Every field path of every schema, dotted (``app.auth.userEntity``)."""

    def walk(t: s.Type, path: str) -> Iterator[str]:
        for form in unwrap(t):
            if isinstance(form, s.DictT):
                for key, spec in form.fields.items():
                    yield f"{path}.{key}"
                    yield from walk(spec.type, f"{path}.{key}")
            elif isinstance(form, s.ListT):
                yield from walk(form.item, path)

    for kind, body in s.DECL_SCHEMAS.items():
        yield from walk(body, kind)


def describe_type(t: s.Type) -> str:
    """What a value must be, as the checker words it (``a duration string like "30m"``)."""
    if isinstance(t, s.DictT):
        return "a dict"
    if isinstance(t, s.ListT):
        return f"a list of {describe_type(t.item).removeprefix('a ').removeprefix('an ')}s"
    return t.expected

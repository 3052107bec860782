"""The one table of declaration kinds: every ``<kind> <Name> ...`` the language has.

Everything that needs the list of kinds reads it from here: the parser's ``KIND``
terminal and its "expected a declaration" messages, the naming rule (``case``), the body
schemas (``analyzer/schema.py: DECL_SCHEMAS``, one per ``dict`` kind) and the
AST -> AppSpec step (``analyzer/build.py: BUILDERS``, filling ``AppSpec.<field>``).
``tests/unit/analyzer/test_kinds.py`` holds those to this table, and
``docs/adding-a-declaration-kind.md`` lists every file a new kind touches.
"""

from __future__ import annotations

from typing import Literal, NamedTuple


# NamedTuples, not dataclasses, on the compiler's path: a frozen dataclass costs ~1 ms of
# class creation at import, on every build.
class DeclKind(NamedTuple):
    name: str  # the keyword: "query"
    case: Literal["lower", "upper"] | None  # how a declaration's name must start (None: free)
    # "dict": `<kind> <Name> { key: value, ... }`, checked against DECL_SCHEMAS[name];
    # "entity" and "enum" have a grammar of their own.
    form: Literal["dict", "entity", "enum"]
    field: str  # the AppSpec field its declarations fill ("app" for the app itself)


KINDS: tuple[DeclKind, ...] = (
    DeclKind("app", None, "dict", "app"),
    DeclKind("entity", "upper", "entity", "entities"),
    DeclKind("enum", "upper", "enum", "enums"),
    DeclKind("page", "upper", "dict", "pages"),
    DeclKind("route", "upper", "dict", "routes"),
    DeclKind("query", "lower", "dict", "queries"),
    DeclKind("action", "lower", "dict", "actions"),
    DeclKind("api", "lower", "dict", "apis"),
    DeclKind("apiNamespace", "lower", "dict", "api_namespaces"),
    DeclKind("job", "lower", "dict", "jobs"),
    DeclKind("crud", None, "dict", "cruds"),
    DeclKind("websocket", "lower", "dict", "websockets"),
)


def names() -> tuple[str, ...]:
    """Every kind keyword, in the table's order."""
    return tuple(k.name for k in KINDS)


def dict_kinds() -> tuple[DeclKind, ...]:
    """The kinds written ``<kind> <Name> { ... }`` (the grammar's ``KIND`` terminal)."""
    return tuple(k for k in KINDS if k.form == "dict")


def kind(name: str) -> DeclKind:
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)

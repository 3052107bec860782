"""Name conversions: spec names to URL segments (the route plan) and Python identifiers
(the generator). The one home of ``kebab`` and ``snake``."""

from __future__ import annotations

import re

# A word boundary inside a camelCase or PascalCase name: "getHTTPStatus" -> get|HTTP|Status.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|$|[^A-Za-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def words(name: str) -> list[str]:
    """The lower-case words of a camelCase, PascalCase, snake_case or kebab-case name."""
    return [w.lower() for w in _WORD.findall(name)]


def kebab(name: str) -> str:
    """``getCases`` -> ``get-cases``: the form used in URLs (``/operations/get-cases``)."""
    return "-".join(words(name))


def snake(name: str) -> str:
    """``getCases`` -> ``get_cases``: the form used for Python identifiers."""
    return "_".join(words(name))


_PATH_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


def starlette_path(path: str) -> str:
    """``/api/shot/:alertId`` -> ``/api/shot/{alertId}`` (the Starlette and OpenAPI form)."""
    return _PATH_PARAM.sub(r"{\1}", path)


def path_params(path: str) -> list[str]:
    """The ``:param`` names of a spec path, in order."""
    return _PATH_PARAM.findall(path)

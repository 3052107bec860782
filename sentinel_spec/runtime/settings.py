"""Start-up settings: the spec's ``env(...)`` values read from the environment and ``.env``.

Every problem (missing required variable, value of the wrong type) is collected and
reported together, one line each, so a deploy is fixed in one round trip.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sentinel_spec.contract.declarations import Env

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class SettingsError(SystemExit):
    """Bad or missing settings; one problem a line.

    A ``SystemExit`` on purpose: uncaught at start-up, Python prints the message and
    exits with status 1 without a traceback (uvicorn's ``--factory`` lets it through).
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


def parse_dotenv(text: str) -> dict[str, str]:
    """``KEY=VALUE`` lines; ``#`` comments; optional ``export``; single/double quotes."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            continue
        values[key] = _dotenv_value(value.strip())
    return values


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _dotenv_value(value: str) -> str:
    if value.startswith("'"):
        single = value.find("'", 1)
        if single > 0:
            return value[1:single]  # single quotes: literal; anything after is a comment
    if value.startswith('"'):
        double = _closing_quote(value)
        if double is not None:
            return _unescape(value[1:double])
    # Unquoted: an inline comment starts at " #".
    comment = value.find(" #")
    return (value[:comment] if comment >= 0 else value).strip()


def _unescape(text: str) -> str:
    """Decode backslash escapes left to right, so ``\\\\n`` is a backslash and an ``n``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _closing_quote(value: str) -> int | None:
    i = 1
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] == '"':
            return i
        i += 1
    return None


def _coerce(raw: str, default: Any, name: str) -> Any:
    """Give ``raw`` the type of the spec's default (bool before int: bool is an int)."""
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"environment variable {name} must be true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(
                f"environment variable {name} must be an integer, got {raw!r}"
            ) from None
    if isinstance(default, float):
        try:
            return float(raw.strip())
        except ValueError:
            raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from None
    return raw


@dataclass(frozen=True)
class Settings:
    """The merged environment (process over ``.env``) and the ``Env`` markers' values."""

    environ: Mapping[str, str]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.environ.get(name, default)

    def resolve(self, value: Any) -> Any:
        """An ``Env`` marker becomes its value (typed like its default); others pass through."""
        if not isinstance(value, Env):
            return value
        raw = self.environ.get(value.name)
        if raw is None:
            if value.required:
                raise SettingsError([_missing_line(value)])
            return value.default
        return _coerce(raw, value.default, value.name)


def _missing_line(env: Env) -> str:
    return f"missing environment variable {env.name}" + (f" ({env.where})" if env.where else "")


def load_settings(
    envs: tuple[Env, ...],
    environ: Mapping[str, str] | None = None,
    dotenv: Path | None = Path(".env"),
) -> Settings:
    """Read ``environ`` (default ``os.environ``) over ``dotenv``; check every ``Env`` at once."""
    merged: dict[str, str] = {}
    if dotenv is not None and dotenv.is_file():
        merged.update(parse_dotenv(dotenv.read_text(encoding="utf-8")))
    merged.update(os.environ if environ is None else environ)
    settings = Settings(merged)

    problems: list[str] = []
    reported: set[str] = set()
    for env in envs:
        if env.name in reported:
            continue
        try:
            settings.resolve(env)
        except SettingsError as error:
            problems.extend(error.problems)
            reported.add(env.name)
        except ValueError as error:
            problems.append(str(error))
            reported.add(env.name)
    if problems:
        raise SettingsError(problems)
    return settings

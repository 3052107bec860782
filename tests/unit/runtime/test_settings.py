"""Settings: environment over .env, every problem reported at once, typed defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.contract.declarations import AppDecl, Env
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.settings import SettingsError, load_settings, parse_dotenv


def test_parse_dotenv() -> None:
    text = """
# a comment
export PLAIN=value
SPACED = padded   # trailing comment
DOUBLE="a # not a comment\\nline2"
SINGLE='raw \\n $x'
EMPTY=
URL=postgres://u:p@h/db?x=1#frag
not a line
"""
    assert parse_dotenv(text) == {
        "PLAIN": "value",
        "SPACED": "padded",
        "DOUBLE": "a # not a comment\nline2",
        "SINGLE": "raw \\n $x",
        "EMPTY": "",
        "URL": "postgres://u:p@h/db?x=1#frag",
    }


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("A=from-file\nB=from-file\n")
    settings = load_settings((Env("A"), Env("B")), {"A": "from-env"}, dotenv)
    assert settings.resolve(Env("A")) == "from-env"
    assert settings.resolve(Env("B")) == "from-file"


def test_all_missing_variables_reported_together() -> None:
    envs = (
        Env("SENTRY_DSN", where="app.server.sentry.dsn"),
        Env("PORT", 3001, required=False),
        Env("STRIPE_KEY"),
        Env("SENTRY_DSN", where="elsewhere"),
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(envs, {}, None)
    assert str(caught.value).splitlines() == [
        "missing environment variable SENTRY_DSN (app.server.sentry.dsn)",
        "missing environment variable STRIPE_KEY",
    ]
    assert isinstance(caught.value, SystemExit)  # printed without a traceback at start-up


def test_values_take_the_type_of_their_default() -> None:
    environ = {"PORT": "8080", "RATE": "0.5", "DEBUG": "yes", "NAME": "x"}
    settings = load_settings((), environ, None)
    assert settings.resolve(Env("PORT", 3001, required=False)) == 8080
    assert settings.resolve(Env("RATE", 0.1, required=False)) == 0.5
    assert settings.resolve(Env("DEBUG", False, required=False)) is True
    assert settings.resolve(Env("NAME", "d", required=False)) == "x"
    assert settings.resolve(Env("ABSENT", 7, required=False)) == 7
    assert settings.resolve("literal") == "literal"


def test_badly_typed_values_are_reported_with_missing_ones() -> None:
    envs = (Env("PORT", 3001, required=False), Env("DEBUG", False, required=False), Env("KEY"))
    with pytest.raises(SettingsError) as caught:
        load_settings(envs, {"PORT": "eighty", "DEBUG": "maybe"}, None)
    assert caught.value.problems == (
        "environment variable PORT must be an integer, got 'eighty'",
        "environment variable DEBUG must be true or false, got 'maybe'",
        "missing environment variable KEY",
    )


def test_create_app_checks_the_declared_env() -> None:
    decl = AppDecl(name="T", title="T", env=(Env("SECRET_KEY"),), cors_origins=Env("CORS"))
    with pytest.raises(SettingsError) as caught:
        create_app(decl, environ={}, dotenv=None)
    assert caught.value.problems == (
        "missing environment variable SECRET_KEY",
        "missing environment variable CORS",
    )


def test_dotenv_escapes_decode_left_to_right() -> None:
    values = parse_dotenv('A="C:\\\\new"\nB=\'x\' # note\nC="a\\nb\\"q"\n')
    assert values == {"A": "C:\\new", "B": "x", "C": 'a\nb"q'}

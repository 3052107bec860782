"""Small pieces of diagnostic wording shared by every analyzer pass."""

from __future__ import annotations

from collections.abc import Iterable

from sentinel_spec.errors import closest


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def with_article(word: str) -> str:
    """``entity`` -> ``an entity``; ``page`` -> ``a page``."""
    return f"{article(word)} {word}"


def suggest(
    message: str, name: str, candidates: Iterable[str], prefix: str = "", suffix: str = ""
) -> str:
    """``message`` plus ``; did you mean `X`?`` when a candidate is close to ``name``.

    ``prefix`` and ``suffix`` dress the candidate inside the quotes (``@map``, ``now()``).
    """
    match = closest(name, candidates)
    if match is None:
        return message
    return f"{message}; did you mean `{prefix}{match}{suffix}`?"

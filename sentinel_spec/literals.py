"""Literal text to values, within ``limits``: the one place numbers and JSON are read.

Every number of a spec goes through ``read_number`` (number literals), ``read_count``
(the count of a duration, size or rate string) or ``read_json`` (JSON blocks and JSON
defaults). Each raises ``LiteralError`` instead of what Python would do with hostile
text: a ``ValueError`` past 4,300 digits, ``inf`` for ``1e999``, a ``RecursionError``
for JSON nested a thousand deep.
"""

from __future__ import annotations

import json
import math
import re
import sys

from sentinel_spec.limits import (
    MAX_INT,
    MAX_LITERAL_CHARS,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    MIN_INT,
)

__all__ = [
    "LiteralError",
    "bad_escape",
    "check_int",
    "nearest_number",
    "read_count",
    "read_json",
    "read_number",
]


class LiteralError(ValueError):
    """A literal that cannot become a value; ``offset`` is where, inside the literal's text."""

    def __init__(self, message: str, offset: int = 0, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


INT_RANGE = f"{MIN_INT} to {MAX_INT}"
_INT_HINT = f"integers are signed 64-bit ({INT_RANGE})"


def shown(text: str, width: int = 24) -> str:
    """``text`` as a message quotes it: long literals are cut, with their length."""
    if len(text) <= width:
        return text
    return f"{text[: width - 1]}… ({len(text):,} characters)"


def _too_long(text: str, offset: int = 0) -> LiteralError:
    return LiteralError(
        f"number `{shown(text)}` is too long: a number has at most {MAX_NUMBER_CHARS} characters",
        offset,
    )


def check_int(value: int, text: str, offset: int = 0) -> int:
    """``value`` (read from ``text``) if it is a signed 64-bit integer."""
    if MIN_INT <= value <= MAX_INT:
        return value
    raise LiteralError(f"integer `{shown(text)}` is out of range", offset, _INT_HINT)


def read_number(text: str, offset: int = 0) -> int | float:
    """A JSON number: ``int`` without fraction or exponent, else a finite ``float``."""
    is_float = "." in text or "e" in text or "E" in text
    if len(text) > MAX_NUMBER_CHARS:
        raise _too_long(text, offset)
    if is_float:
        value = float(text)
        if not math.isfinite(value):
            message = f"number `{shown(text)}` is too large for a float"
            raise LiteralError(message, offset, "floats go up to about 1.8e308")
        return value
    return check_int(int(text), text, offset)


def nearest_number(text: str) -> int | float:
    """What an analysis goes on with after ``read_number`` refused ``text``: the bound on
    its side, so that no rule reports a second, made-up problem (like "must be at least 1")."""
    is_float = "." in text or "e" in text or "E" in text
    negative = text.startswith("-")
    if is_float:
        return -sys.float_info.max if negative else sys.float_info.max
    return MIN_INT if negative else MAX_INT


def read_count(digits: str, scale: int = 1) -> int:
    """The count of a unit string (``"30"`` of ``"30m"``) times ``scale``, in 64-bit range."""
    if len(digits) > MAX_NUMBER_CHARS or int(digits) * scale > MAX_INT:
        raise LiteralError("its number is too large", 0, _INT_HINT)
    return int(digits) * scale


# ---------------------------------------------------------------- JSON

# A JSON string (possibly unterminated), a run of number characters, or a bracket. The
# quantifiers are possessive: a long string is one step, with no backtracking stack.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"?|-?[0-9][0-9.eE+\-]*+|[\[\]{}]')
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


# One escape at a time, left to right, so `\\\\` is consumed whole and never read as
# the start of the escape after it.
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SIMPLE_ESCAPES = frozenset('"\\/bfnrt')


def bad_escape(text: str) -> tuple[int, int] | None:
    """Where in a string token the first invalid escape is, or None when all are valid.

    Invalid: an unknown escape, ``\\u`` without four hex digits, or a ``\\uXXXX``
    surrogate not in a high-low pair (it decodes, but is not text UTF-8 can hold).
    """
    escapes = list(_ESCAPE.finditer(text, 1, len(text) - 1))
    index = 0
    while index < len(escapes):
        escape = escapes[index]
        body = escape.group(1)
        index += 1
        if len(body) == 1:
            if body not in _SIMPLE_ESCAPES:
                return escape.span()
            continue
        code = int(body[1:], 16)
        if 0xDC00 <= code <= 0xDFFF:
            return escape.span()  # a low surrogate with no high one before it
        if 0xD800 <= code <= 0xDBFF:
            low = escapes[index] if index < len(escapes) else None
            if low is None or low.start() != escape.end() or not _is_low_surrogate(low.group(1)):
                return escape.span()
            index += 1
    return None


def _is_low_surrogate(body: str) -> bool:
    return len(body) == 5 and 0xDC00 <= int(body[1:], 16) <= 0xDFFF


class _NotJson(ValueError):
    """Python's json reads NaN and Infinity; JSON (and PostgreSQL's jsonb) does not."""


def _not_json_constant(name: str) -> object:
    raise _NotJson(name)


# A JSON string, or one of the constants Python's json accepts and JSON does not.
_JSON_CONSTANT = re.compile(r'"(?:[^"\\]++|\\.)*+"|(-?Infinity|NaN)')
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')


def read_json(raw: str) -> object:
    """One JSON value, within the limits of size, nesting and numbers.

    The text is scanned once for brackets and numbers before the standard decoder runs,
    so that decoder never meets what it would crash on.
    """
    if len(raw) > MAX_LITERAL_CHARS:
        raise LiteralError(
            f"JSON block of {len(raw):,} characters: the limit is {MAX_LITERAL_CHARS:,}"
        )
    depth = 0
    for token in _JSON_TOKEN.finditer(raw):
        text = token.group(0)
        first = text[0]
        if first in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise LiteralError(
                    f"JSON nested more than {MAX_NESTING} levels deep", token.start()
                )
        elif first in "]}":
            depth -= 1
        elif first != '"' and _JSON_NUMBER.fullmatch(text):
            read_number(text, token.start())
    try:
        value = json.loads(raw, parse_constant=_not_json_constant)
    except json.JSONDecodeError as bad:
        raise LiteralError(f"invalid JSON: {bad.msg}", bad.pos) from None
    except _NotJson as constant:
        found = (m.start(1) for m in _JSON_CONSTANT.finditer(raw) if m.group(1))
        raise LiteralError(f"invalid JSON: `{constant}` is not JSON", next(found, 0)) from None
    if "\\u" in raw:  # JSON accepts lone surrogates; UTF-8 cannot hold them
        for string in _JSON_STRING.finditer(raw):
            escape = bad_escape(string.group(0))
            if escape is not None:
                text = string.group(0)[escape[0] : escape[1]]
                message = f"invalid JSON: `{text}` is a lone surrogate, not text"
                raise LiteralError(message, string.start() + escape[0])
    return value

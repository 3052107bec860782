"""The declarative password policy of ``app.auth.passwordPolicy``.

``violations`` lists every rule a password breaks, one validation detail each
(RUNTIME.md: "one detail per broken rule"), so a signup form can show them all at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypedDict

from sentinel_spec.runtime.auth.passwords import MAX_PASSWORD_LENGTH


class PolicyDetail(TypedDict):
    field: str
    rule: str
    message: str


def _is_symbol(char: str) -> bool:
    # Punctuation and symbols of any script (``!``, ``€``, ``¿``); spaces do not count.
    return unicodedata.category(char)[0] in ("P", "S")


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    require_upper: bool = False
    require_lower: bool = False
    require_digit: bool = False
    require_symbol: bool = False

    def violations(self, password: str, field: str = "password") -> list[PolicyDetail]:
        """One detail per broken rule, in a fixed order; empty when the password passes."""
        broken: list[tuple[str, str]] = []
        if len(password) < self.min_length:
            broken.append(("minLength", f"must be at least {self.min_length} characters long"))
        if len(password) > MAX_PASSWORD_LENGTH:
            broken.append(("maxLength", f"must be at most {MAX_PASSWORD_LENGTH} characters long"))
        if self.require_upper and not any(c.isupper() for c in password):
            broken.append(("requireUpper", "must contain an uppercase letter"))
        if self.require_lower and not any(c.islower() for c in password):
            broken.append(("requireLower", "must contain a lowercase letter"))
        if self.require_digit and not any(c.isdigit() for c in password):
            broken.append(("requireDigit", "must contain a digit"))
        if self.require_symbol and not any(_is_symbol(c) for c in password):
            broken.append(("requireSymbol", "must contain a symbol"))
        return [
            {"field": field, "rule": rule, "message": f"Password {message}"}
            for rule, message in broken
        ]

    def describe(self) -> list[str]:
        """The rules in words, for the signup and reset pages."""
        rules = [f"at least {self.min_length} characters"]
        if self.require_upper:
            rules.append("an uppercase letter")
        if self.require_lower:
            rules.append("a lowercase letter")
        if self.require_digit:
            rules.append("a digit")
        if self.require_symbol:
            rules.append("a symbol")
        return rules

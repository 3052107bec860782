"""The password policy: one detail per broken rule."""

from __future__ import annotations

from sentinel_spec.runtime.auth.policy import PasswordPolicy

STRICT = PasswordPolicy(
    min_length=12, require_upper=True, require_lower=True, require_digit=True, require_symbol=True
)


def rules(policy: PasswordPolicy, password: str) -> list[str]:
    return [d["rule"] for d in policy.violations(password)]


def test_a_good_password_breaks_nothing() -> None:
    assert STRICT.violations("Tr0ub4dor&3xyz") == []


def test_every_broken_rule_is_reported_once() -> None:
    assert rules(STRICT, "") == [
        "minLength",
        "requireUpper",
        "requireLower",
        "requireDigit",
        "requireSymbol",
    ]
    assert rules(STRICT, "alllowercase-long") == ["requireUpper", "requireDigit"]


def test_detail_shape() -> None:
    [detail] = PasswordPolicy(min_length=10).violations("short")
    assert detail == {
        "field": "password",
        "rule": "minLength",
        "message": "Password must be at least 10 characters long",
    }


def test_unicode_letters_and_symbols_count() -> None:
    policy = PasswordPolicy(min_length=1, require_upper=True, require_symbol=True)
    assert policy.violations("Élan€") == []
    assert rules(policy, "élan ") == ["requireUpper", "requireSymbol"]  # a space is no symbol


def test_overlong_password_is_refused() -> None:
    assert rules(PasswordPolicy(), "a" * 1025) == ["maxLength"]
    assert rules(PasswordPolicy(), "a" * 1024) == []


def test_describe_lists_the_rules() -> None:
    assert STRICT.describe() == [
        "at least 12 characters",
        "an uppercase letter",
        "a lowercase letter",
        "a digit",
        "a symbol",
    ]

"""TOTP: codes from the secret, clock drift of one step, replay refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pyotp

from sentinel_spec.runtime.auth import totp

SECRET = totp.new_secret()
NOW = 1_700_000_015.0  # inside step 56_666_667


def test_secret_is_160_bits_of_base32() -> None:
    assert len(SECRET) == 32 and pyotp.TOTP(SECRET).byte_secret()
    assert totp.new_secret() != SECRET


def test_provisioning_uri_names_issuer_and_account() -> None:
    uri = totp.provisioning_uri(SECRET, "ana@example.com", "SentinelIQ")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    query = parse_qs(parsed.query)
    assert query["secret"] == [SECRET] and query["issuer"] == ["SentinelIQ"]
    assert "ana%40example.com" in parsed.path or "ana@example.com" in parsed.path


def test_current_code_verifies_and_returns_its_step() -> None:
    step = totp.current_step(NOW)
    code = pyotp.TOTP(SECRET).at(NOW)
    assert totp.verify(SECRET, code, None, now=NOW) == step
    assert totp.verify(SECRET, code[:3] + " " + code[3:], None, now=NOW) == step


def test_one_step_of_drift_either_way() -> None:
    step = totp.current_step(NOW)
    assert totp.verify(SECRET, totp.code_at(SECRET, step - 1), None, now=NOW) == step - 1
    assert totp.verify(SECRET, totp.code_at(SECRET, step + 1), None, now=NOW) == step + 1
    assert totp.verify(SECRET, totp.code_at(SECRET, step - 2), None, now=NOW) is None
    assert totp.verify(SECRET, totp.code_at(SECRET, step + 2), None, now=NOW) is None


def test_replayed_code_is_refused() -> None:
    step = totp.current_step(NOW)
    code = totp.code_at(SECRET, step)
    assert totp.verify(SECRET, code, step, now=NOW) is None
    assert totp.verify(SECRET, code, step + 1, now=NOW) is None
    # A code of a later step than the last used one still works.
    later = totp.code_at(SECRET, step + 1)
    assert totp.verify(SECRET, later, step, now=NOW) == step + 1


def test_malformed_codes_are_refused() -> None:
    for bad in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert totp.verify(SECRET, bad, None, now=NOW) is None
    assert totp.looks_like_code("123 456") and not totp.looks_like_code("12345a")

"""TOTP (RFC 6238) with pyotp: 6 digits, 30-second steps, SHA-1 (what every
authenticator app reads from an otpauth URL), one step of clock drift either way.

A code is accepted once: ``verify`` returns the time step it matched, the caller
stores it as the user's last used step, and a code of that step or an earlier one
is refused afterwards, even inside its 30 seconds (RFC 6238 section 5.2).
"""

from __future__ import annotations

import time

import pyotp

from sentinel_spec.runtime.auth.tokens import same

DIGITS = 6
INTERVAL = 30
DRIFT_STEPS = 1
SECRET_LENGTH = 32  # base32 characters: 160 bits, RFC 4226's recommended key size


def new_secret() -> str:
    return pyotp.random_base32(SECRET_LENGTH)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URL an authenticator app scans."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def looks_like_code(value: str) -> bool:
    """Six digits (spaces allowed, as apps display ``123 456``): a TOTP, not a backup code."""
    digits = value.replace(" ", "")
    return len(digits) == DIGITS and digits.isascii() and digits.isdigit()


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // INTERVAL)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(step)


def verify(
    secret: str, code: str, last_used_step: int | None, now: float | None = None
) -> int | None:
    """The time step ``code`` is valid for, or None (wrong, expired, or already used).

    Steps at or before ``last_used_step`` are never tried: a replayed code fails.
    """
    candidate = code.replace(" ", "")
    if not looks_like_code(candidate):
        return None
    otp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    now_step = current_step(now)
    matched: int | None = None
    # Every step of the window is computed and compared, matched or not: the time taken
    # does not depend on which step (if any) the code belongs to.
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        fresh = last_used_step is None or step > last_used_step
        if same(otp.generate_otp(step), candidate) and fresh and matched is None:
            matched = step
    return matched

"""Opaque tokens, the secret key, sealed secrets, signed values, backup codes, QR codes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sentinel_spec.runtime.auth import backup_codes
from sentinel_spec.runtime.auth.backup_codes import BackupCodeHasher
from sentinel_spec.runtime.auth.keys import SecretKeyError, SecretKeys, load_secret_keys
from sentinel_spec.runtime.auth.qr import qr_svg
from sentinel_spec.runtime.auth.sealing import Sealer, SealError
from sentinel_spec.runtime.auth.signed import Signer
from sentinel_spec.runtime.auth.tokens import new_token, plausible_token, same, token_digest

KEY = "k" * 40
OTHER = "o" * 40


def test_tokens_are_random_urlsafe_and_stored_as_sha256() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert len(token) == 43 and all(c.isalnum() or c in "-_" for c in token)
    digest = token_digest(token)
    assert len(digest) == 64 and token not in digest
    assert token_digest(token) == digest


def test_plausible_and_same() -> None:
    assert plausible_token("abc")
    assert not plausible_token("")
    assert not plausible_token("x" * 129)
    assert not plausible_token(None)
    assert not plausible_token(42)
    assert same("abc", "abc") and not same("abc", "abd") and same(b"x", "x")


def test_key_required_outside_development(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="missing environment variable AUTH_SECRET_KEY"):
        load_secret_keys({}, tmp_path)
    with pytest.raises(SecretKeyError, match="missing"):
        load_secret_keys({"SENTINEL_ENV": "production"}, tmp_path)
    with pytest.raises(SecretKeyError, match="at least 32 characters"):
        load_secret_keys({"AUTH_SECRET_KEY": "short"}, tmp_path)
    assert not (tmp_path / "auth_secret_key").exists()


def test_key_from_environment_with_previous_keys(tmp_path: Path) -> None:
    keys = load_secret_keys(
        {"AUTH_SECRET_KEY": KEY, "AUTH_SECRET_KEY_PREVIOUS": f"{OTHER}, "}, None
    )
    assert keys.current == KEY.encode() and keys.previous == (OTHER.encode(),)


def test_development_key_is_generated_once_and_private(tmp_path: Path) -> None:
    env = {"SENTINEL_ENV": "development"}
    first = load_secret_keys(env, tmp_path / ".sentinel")
    second = load_secret_keys(env, tmp_path / ".sentinel")
    assert first == second and len(first.current) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / ".sentinel" / "auth_secret_key").st_mode)
    assert mode == 0o600


def test_derived_keys_differ_per_purpose() -> None:
    keys = SecretKeys(KEY.encode())
    assert keys.derive("a") != keys.derive("b")
    assert keys.derive("a") == SecretKeys(KEY.encode()).derive("a")
    assert len(keys.derive("a")) == 32


def test_sealed_secret_opens_only_for_its_row_and_key() -> None:
    sealer = Sealer(SecretKeys(KEY.encode()), "totp-secret")
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", "totp:user-1")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed.startswith("v1.")
    opened = sealer.open(sealed, "totp:user-1")
    assert opened.plaintext == "JBSWY3DPEHPK3PXP" and not opened.stale
    with pytest.raises(SealError, match="another row"):
        sealer.open(sealed, "totp:user-2")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(SealError):
        sealer.open(tampered, "totp:user-1")
    with pytest.raises(SealError, match="neither AUTH_SECRET_KEY"):
        Sealer(SecretKeys(OTHER.encode()), "totp-secret").open(sealed, "totp:user-1")
    with pytest.raises(SealError, match="not a sealed value"):
        sealer.open("plain", "totp:user-1")


def test_sealed_with_previous_key_opens_and_is_stale() -> None:
    old = Sealer(SecretKeys(OTHER.encode()), "totp-secret")
    sealed = old.seal("SECRET", "ctx")
    rotated = Sealer(SecretKeys(KEY.encode(), (OTHER.encode(),)), "totp-secret")
    opened = rotated.open(sealed, "ctx")
    assert opened.plaintext == "SECRET" and opened.stale
    assert not rotated.open(rotated.seal("SECRET", "ctx"), "ctx").stale


def test_signed_values_expire_and_refuse_tampering() -> None:
    now = [1_000_000.0]
    signer = Signer(SecretKeys(KEY.encode()), "oauth", clock=lambda: now[0])
    signed = signer.dumps({"state": "s"}, max_age=600)
    assert signer.loads(signed) == {"state": "s"}
    assert signer.loads(signed[:-1] + ("A" if signed[-1] != "A" else "B")) is None
    assert Signer(SecretKeys(KEY.encode()), "csrf", clock=lambda: now[0]).loads(signed) is None
    assert Signer(SecretKeys(OTHER.encode()), "oauth", clock=lambda: now[0]).loads(signed) is None
    assert signer.loads(None) is None and signer.loads("garbage") is None
    now[0] += 601
    assert signer.loads(signed) is None


def test_backup_codes_shape_and_keyed_digest() -> None:
    codes = backup_codes.new_codes(10)
    assert len(set(codes)) == 10
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert backup_codes.looks_like_backup_code(code)
    hasher = BackupCodeHasher(SecretKeys(KEY.encode()))
    code = codes[0]
    digest = hasher.digest(code)
    assert hasher.digest(code.upper().replace("-", " ")) == digest
    assert BackupCodeHasher(SecretKeys(OTHER.encode())).digest(code) != digest
    rotated = BackupCodeHasher(SecretKeys(OTHER.encode(), (KEY.encode(),)))
    assert digest in rotated.candidates(code)
    assert not backup_codes.looks_like_backup_code("123456")
    assert not backup_codes.looks_like_backup_code("abcde-fghi0")


def test_qr_svg_is_inline_svg() -> None:
    svg = qr_svg("otpauth://totp/SentinelIQ:a%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=SentinelIQ")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg

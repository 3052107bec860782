"""Sessions, refresh-token families, one-time tokens and 2FA state on real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pyotp
import sqlalchemy as sa

from sentinel_spec.runtime.auth import totp
from sentinel_spec.runtime.auth.backup_codes import BackupCodeHasher
from sentinel_spec.runtime.auth.keys import SecretKeys
from sentinel_spec.runtime.auth.one_time import RESET_PASSWORD, VERIFY_EMAIL, OneTimeTokens
from sentinel_spec.runtime.auth.refresh import INVALID, Refreshed, RefreshTokenStore, Reused
from sentinel_spec.runtime.auth.sealing import Sealer
from sentinel_spec.runtime.auth.sessions import SessionStore, SessionTimeouts
from sentinel_spec.runtime.auth.tokens import token_digest
from sentinel_spec.runtime.auth.two_factor import TwoFactorStore
from tests.integration.auth.conftest import AuthDb


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def test_session_lifecycle_idle_absolute_and_revocation(auth_db: AuthDb) -> None:
    clock = Clock()
    store = SessionStore(auth_db.tables, SessionTimeouts(600, 3600), clock)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        token, record = await store.create(
            db, "u1", method="email", ip="203.0.113.9", user_agent="UA/1"
        )
    async with auth_db.session() as db:
        stored = (await db.execute(sa.select(auth_db.tables.sessions))).one()
    # Only the digest is stored, never the id the client holds.
    assert stored.token_digest == token_digest(token) and token not in str(tuple(stored))
    assert (stored.ip, stored.user_agent) == ("203.0.113.9", "UA/1")

    async with auth_db.session() as db, db.begin():
        assert (await store.validate(db, token)).id == record.id  # type: ignore[union-attr]
        assert await store.validate(db, token + "x") is None
        assert await store.validate(db, "") is None

    # Used every 9 minutes: the idle timeout (10 min) never hits, last_seen_at moves on.
    for _ in range(5):
        clock.advance(540)
        async with auth_db.session() as db, db.begin():
            seen = await store.validate(db, token)
            assert seen is not None and seen.last_seen_at == clock.now
    # 45 minutes in; the absolute timeout (1 h) ends it even though it is in use.
    clock.advance(540)
    async with auth_db.session() as db, db.begin():
        assert await store.validate(db, token) is not None
    clock.advance(540)
    async with auth_db.session() as db, db.begin():
        assert await store.validate(db, token) is None

    # Idle: a new session left alone for 10 minutes is gone.
    async with auth_db.session() as db, db.begin():
        idle_token, _ = await store.create(db, "u1", method="email", ip=None, user_agent=None)
    clock.advance(601)
    async with auth_db.session() as db, db.begin():
        assert await store.validate(db, idle_token) is None


async def test_last_seen_is_written_at_most_once_a_minute(auth_db: AuthDb) -> None:
    clock = Clock()
    store = SessionStore(auth_db.tables, SessionTimeouts(1800, 3600), clock)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        token, record = await store.create(db, "u1", method="email", ip=None, user_agent=None)
    clock.advance(30)
    async with auth_db.session() as db, db.begin():
        assert (await store.validate(db, token)).last_seen_at == record.created_at  # type: ignore[union-attr]
    clock.advance(31)
    async with auth_db.session() as db, db.begin():
        assert (await store.validate(db, token)).last_seen_at == clock.now  # type: ignore[union-attr]


async def test_list_and_revoke_sessions(auth_db: AuthDb) -> None:
    store = SessionStore(auth_db.tables, SessionTimeouts())
    await auth_db.add_user("u1")
    await auth_db.add_user("u2")
    async with auth_db.session() as db, db.begin():
        t1, s1 = await store.create(db, "u1", method="email", ip="1.1.1.1", user_agent="a")
        t2, s2 = await store.create(db, "u1", method="google", ip="2.2.2.2", user_agent="b")
        t3, s3 = await store.create(db, "u2", method="email", ip=None, user_agent=None)
    async with auth_db.session() as db, db.begin():
        listed = await store.list_live(db, "u1")
        assert {s.id for s in listed} == {s1.id, s2.id}
        assert listed[0].public(current_id=s2.id)["current"] in (True, False)
        # Another user's session id is not ours to end.
        assert await store.revoke(db, "u1", s3.id) is None
        assert (await store.revoke(db, "u1", s1.id)).id == s1.id  # type: ignore[union-attr]
        assert await store.revoke(db, "u1", s1.id) is None  # already ended
    async with auth_db.session() as db, db.begin():
        assert await store.validate(db, t1) is None
        assert await store.validate(db, t2) is not None
        assert set(await store.revoke_all(db, "u1")) == {s2.id}
        assert await store.validate(db, t2) is None
        assert await store.validate(db, t3) is not None


async def test_refresh_rotation_and_reuse_revokes_the_family(auth_db: AuthDb) -> None:
    store = RefreshTokenStore(auth_db.tables, ttl_seconds=3600, rotate=True)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        first, family = await store.issue(db, "u1")
        other, other_family = await store.issue(db, "u1")  # another device's family
    async with auth_db.session() as db, db.begin():
        outcome = await store.use(db, first)
    assert isinstance(outcome, Refreshed) and outcome.rotated and outcome.family_id == family
    second = outcome.token
    assert second != first
    async with auth_db.session() as db, db.begin():
        again = await store.use(db, second)
    assert isinstance(again, Refreshed)
    third = again.token

    # The first token comes back: someone holds a copy. The family dies, third included.
    async with auth_db.session() as db, db.begin():
        reused = await store.use(db, first)
    assert reused == Reused("u1", family)
    async with auth_db.session() as db, db.begin():
        assert await store.use(db, third) is INVALID
        assert await store.use(db, "nonsense") is INVALID
        # The other device's family is untouched.
        assert isinstance(await store.use(db, other), Refreshed)
    assert other_family != family


async def test_concurrent_refresh_with_one_token_counts_as_reuse(auth_db: AuthDb) -> None:
    store = RefreshTokenStore(auth_db.tables, ttl_seconds=3600, rotate=True)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        token, _ = await store.issue(db, "u1")

    async def use() -> object:
        async with auth_db.session() as db, db.begin():
            return await store.use(db, token)

    outcomes = await asyncio.gather(use(), use())
    kinds = sorted(type(o).__name__ for o in outcomes)
    assert kinds == ["Refreshed", "Reused"]


async def test_refresh_without_rotation_and_expiry(auth_db: AuthDb) -> None:
    clock = Clock()
    store = RefreshTokenStore(auth_db.tables, ttl_seconds=60, rotate=False, clock=clock)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        token, _ = await store.issue(db, "u1")
    for _ in range(2):
        async with auth_db.session() as db, db.begin():
            outcome = await store.use(db, token)
        assert isinstance(outcome, Refreshed) and outcome.token == token and not outcome.rotated
    clock.advance(61)
    async with auth_db.session() as db, db.begin():
        assert await store.use(db, token) is INVALID


async def test_one_time_tokens_single_use_expiring_and_superseded(auth_db: AuthDb) -> None:
    clock = Clock()
    tokens = OneTimeTokens(auth_db.tables, clock)
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        verify = await tokens.issue(db, "u1", VERIFY_EMAIL)
        reset = await tokens.issue(db, "u1", RESET_PASSWORD)
    async with auth_db.session() as db, db.begin():
        assert await tokens.consume(db, verify, RESET_PASSWORD) is None  # wrong purpose
        assert await tokens.peek(db, verify, VERIFY_EMAIL) == "u1"
        assert await tokens.consume(db, verify, VERIFY_EMAIL) == "u1"
        assert await tokens.consume(db, verify, VERIFY_EMAIL) is None  # used
    clock.advance(3601)  # reset tokens live one hour
    async with auth_db.session() as db, db.begin():
        assert await tokens.consume(db, reset, RESET_PASSWORD) is None
        older = await tokens.issue(db, "u1", RESET_PASSWORD)
        newer = await tokens.issue(db, "u1", RESET_PASSWORD)
        assert await tokens.consume(db, older, RESET_PASSWORD) is None  # superseded
        assert await tokens.consume(db, newer, RESET_PASSWORD) == "u1"


async def test_two_factor_setup_enable_check_and_replay(auth_db: AuthDb) -> None:
    keys = SecretKeys(b"k" * 40)
    store = TwoFactorStore(
        auth_db.tables,
        Sealer(keys, "totp-secret"),
        BackupCodeHasher(keys),
        issuer="SentinelIQ",
        backup_code_count=3,
    )
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        info = await store.setup(db, "u1", "ana@example.com")
    assert info is not None and "issuer=SentinelIQ" in info.otpauth_url
    async with auth_db.session() as db:
        sealed = (await db.execute(sa.select(auth_db.tables.two_factor.c.secret_sealed))).scalar()
    assert info.secret not in str(sealed)  # encrypted at rest

    async with auth_db.session() as db, db.begin():
        assert not await store.is_enabled(db, "u1")
        stale_code = totp.code_at(info.secret, totp.current_step() - 5)  # outside the window
        assert await store.enable(db, "u1", stale_code) is None
        assert not await store.is_enabled(db, "u1")
        codes = await store.enable(db, "u1", pyotp.TOTP(info.secret).now())
    assert codes is not None and len(codes) == 3
    async with auth_db.session() as db, db.begin():
        assert await store.is_enabled(db, "u1")
        assert await store.setup(db, "u1", "ana@example.com") is None  # already on

    # The code used to enable is spent; the next step's code works once.
    step = totp.current_step()
    async with auth_db.session() as db, db.begin():
        assert await store.check(db, "u1", totp.code_at(info.secret, step)) is None
        assert await store.check(db, "u1", totp.code_at(info.secret, step + 1)) == "totp"
        assert await store.check(db, "u1", totp.code_at(info.secret, step + 1)) is None

    async with auth_db.session() as db, db.begin():
        assert await store.check(db, "u1", codes[0].upper()) == "backup"
        assert await store.check(db, "u1", codes[0]) is None  # used
        assert await store.check(db, "u1", "zzzzz-zzzzz") is None
        assert await store.remaining_backup_codes(db, "u1") == 2
        await store.disable(db, "u1")
        assert not await store.is_enabled(db, "u1")
        assert await store.check(db, "u1", codes[1]) is None


async def test_backup_codes_are_stored_hashed(auth_db: AuthDb) -> None:
    keys = SecretKeys(b"k" * 40)
    store = TwoFactorStore(
        auth_db.tables, Sealer(keys, "t"), BackupCodeHasher(keys), issuer="X", backup_code_count=2
    )
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        codes = await store.new_backup_codes(db, "u1")
        stored = (await db.execute(sa.select(auth_db.tables.backup_codes.c.code_digest))).scalars()
        digests = list(stored)
    assert len(digests) == 2
    for code in codes:
        assert all(code not in d and code.replace("-", "") not in d for d in digests)


async def test_deleting_the_user_removes_its_auth_rows(auth_db: AuthDb) -> None:
    store = SessionStore(auth_db.tables, SessionTimeouts())
    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        await store.create(db, "u1", method="email", ip=None, user_agent=None)
        await RefreshTokenStore(auth_db.tables, 60, True).issue(db, "u1")
        await db.execute(sa.delete(auth_db.tables.user))
    async with auth_db.session() as db:
        for table in (auth_db.tables.sessions, auth_db.tables.refresh_tokens):
            assert (await db.execute(sa.select(sa.func.count()).select_from(table))).scalar() == 0


async def test_a_rotated_secret_key_still_opens_and_reseals_totp_secrets(auth_db: AuthDb) -> None:
    old_keys = SecretKeys(b"o" * 40)
    new_keys = SecretKeys(b"n" * 40, previous=(b"o" * 40,))

    def store(keys: SecretKeys) -> TwoFactorStore:
        return TwoFactorStore(
            auth_db.tables, Sealer(keys, "totp-secret"), BackupCodeHasher(keys), issuer="X"
        )

    await auth_db.add_user("u1")
    async with auth_db.session() as db, db.begin():
        info = await store(old_keys).setup(db, "u1", "u1")
        assert info is not None
        codes = await store(old_keys).enable(db, "u1", pyotp.TOTP(info.secret).now())
    assert codes is not None
    async with auth_db.session() as db:
        sealed_before = (
            await db.execute(sa.select(auth_db.tables.two_factor.c.secret_sealed))
        ).scalar()
    step = totp.current_step()
    async with auth_db.session() as db, db.begin():
        assert await store(new_keys).check(db, "u1", totp.code_at(info.secret, step + 1)) == "totp"
        assert await store(new_keys).check(db, "u1", codes[0]) == "backup"  # old-key HMAC
    async with auth_db.session() as db:
        sealed_after = (
            await db.execute(sa.select(auth_db.tables.two_factor.c.secret_sealed))
        ).scalar()
    assert sealed_after != sealed_before
    # Re-sealed under the new key: the old key alone no longer opens it.
    Sealer(new_keys, "totp-secret").open(str(sealed_after), "totp:u1")
    import pytest

    from sentinel_spec.runtime.auth.sealing import SealError

    with pytest.raises(SealError):
        Sealer(old_keys, "totp-secret").open(str(sealed_after), "totp:u1")

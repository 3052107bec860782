"""Two-factor state per user: the sealed TOTP secret, its last used step, backup codes.

Set-up stores a pending secret (``enabled_at`` null) and shows it once with its
otpauth URL and QR code; ``enable`` needs one valid code from it, then issues the
backup codes (shown that once). ``check`` accepts a current TOTP code or an unused
backup code, each exactly once: the TOTP step and the backup code are claimed with
conditional UPDATEs, so two concurrent logins with one code cannot both pass.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from sentinel_spec.runtime.auth import backup_codes, totp
from sentinel_spec.runtime.auth.backup_codes import BackupCodeHasher
from sentinel_spec.runtime.auth.clock import Clock, utc_now
from sentinel_spec.runtime.auth.qr import qr_svg
from sentinel_spec.runtime.auth.sealing import Sealer
from sentinel_spec.runtime.auth.tables import AuthTables


@dataclass(frozen=True)
class SetupInfo:
    secret: str
    otpauth_url: str
    qr_svg: str

    def public(self) -> dict[str, str]:
        return {"secret": self.secret, "otpauthUrl": self.otpauth_url, "qrSvg": self.qr_svg}


class TwoFactorStore:
    def __init__(
        self,
        tables: AuthTables,
        sealer: Sealer,
        hasher: BackupCodeHasher,
        *,
        issuer: str,
        backup_code_count: int = 10,
        clock: Clock = utc_now,
    ) -> None:
        self.tables = tables
        self.sealer = sealer
        self.hasher = hasher
        self.issuer = issuer
        self.backup_code_count = backup_code_count
        self.clock = clock

    @staticmethod
    def _context(user_id: Any) -> str:
        return f"totp:{user_id}"

    async def _row(self, db: AsyncSession, user_id: Any) -> Any:
        t = self.tables.two_factor
        return (
            await db.execute(
                sa.select(t.c.secret_sealed, t.c.enabled_at, t.c.last_used_step).where(
                    t.c.user_id == user_id
                )
            )
        ).first()

    async def is_enabled(self, db: AsyncSession, user_id: Any) -> bool:
        row = await self._row(db, user_id)
        return row is not None and row.enabled_at is not None

    async def setup(self, db: AsyncSession, user_id: Any, account: str) -> SetupInfo | None:
        """A new pending secret (replacing an earlier pending one); None when already enabled."""
        row = await self._row(db, user_id)
        if row is not None and row.enabled_at is not None:
            return None
        secret = totp.new_secret()
        sealed = self.sealer.seal(secret, self._context(user_id))
        t = self.tables.two_factor
        if row is None:
            await db.execute(sa.insert(t).values(user_id=user_id, secret_sealed=sealed))
        else:
            await db.execute(
                sa.update(t)
                .where(t.c.user_id == user_id)
                .values(secret_sealed=sealed, last_used_step=None)
            )
        url = totp.provisioning_uri(secret, account, self.issuer)
        return SetupInfo(secret, url, qr_svg(url))

    async def enable(self, db: AsyncSession, user_id: Any, code: str) -> list[str] | None:
        """Confirm the pending secret with ``code``; the backup codes, or None (bad code)."""
        row = await self._row(db, user_id)
        if row is None or row.enabled_at is not None:
            return None
        secret = self.sealer.open(row.secret_sealed, self._context(user_id)).plaintext
        step = totp.verify(secret, code, row.last_used_step)
        if step is None:
            return None
        t = self.tables.two_factor
        await db.execute(
            sa.update(t)
            .where(t.c.user_id == user_id)
            .values(enabled_at=self.clock(), last_used_step=step)
        )
        return await self.new_backup_codes(db, user_id)

    async def new_backup_codes(self, db: AsyncSession, user_id: Any) -> list[str]:
        """Replace the user's backup codes with fresh ones; returns them (shown once)."""
        b = self.tables.backup_codes
        await db.execute(sa.delete(b).where(b.c.user_id == user_id))
        codes = backup_codes.new_codes(self.backup_code_count)
        await db.execute(
            sa.insert(b),
            [
                {"id": str(uuid.uuid4()), "user_id": user_id, "code_digest": self.hasher.digest(c)}
                for c in codes
            ],
        )
        return codes

    async def check(self, db: AsyncSession, user_id: Any, code: str) -> str | None:
        """``"totp"`` or ``"backup"`` when ``code`` is good (and now used up), else None."""
        row = await self._row(db, user_id)
        if row is None or row.enabled_at is None or not isinstance(code, str) or len(code) > 32:
            return None
        if totp.looks_like_code(code):
            return "totp" if await self._check_totp(db, user_id, row, code) else None
        if backup_codes.looks_like_backup_code(code):
            return "backup" if await self._use_backup_code(db, user_id, code) else None
        return None

    async def _check_totp(self, db: AsyncSession, user_id: Any, row: Any, code: str) -> bool:
        opened = self.sealer.open(row.secret_sealed, self._context(user_id))
        step = totp.verify(opened.plaintext, code, row.last_used_step)
        if step is None:
            return False
        t = self.tables.two_factor
        values: dict[str, Any] = {"last_used_step": step}
        if opened.stale:  # sealed with a previous AUTH_SECRET_KEY: move it to the current one
            values["secret_sealed"] = self.sealer.seal(opened.plaintext, self._context(user_id))
        claimed = await db.execute(
            sa.update(t)
            .where(
                t.c.user_id == user_id,
                sa.or_(t.c.last_used_step.is_(None), t.c.last_used_step < step),
            )
            .values(**values)
            .returning(t.c.user_id)
        )
        return claimed.first() is not None

    async def _use_backup_code(self, db: AsyncSession, user_id: Any, code: str) -> bool:
        b = self.tables.backup_codes
        claimed = await db.execute(
            sa.update(b)
            .where(
                b.c.user_id == user_id,
                b.c.code_digest.in_(self.hasher.candidates(code)),
                b.c.used_at.is_(None),
            )
            .values(used_at=self.clock())
            .returning(b.c.id)
        )
        return claimed.first() is not None

    async def remaining_backup_codes(self, db: AsyncSession, user_id: Any) -> int:
        b = self.tables.backup_codes
        count = await db.scalar(
            sa.select(sa.func.count()).where(b.c.user_id == user_id, b.c.used_at.is_(None))
        )
        return int(count or 0)

    async def disable(self, db: AsyncSession, user_id: Any) -> None:
        await db.execute(
            sa.delete(self.tables.two_factor).where(self.tables.two_factor.c.user_id == user_id)
        )
        b = self.tables.backup_codes
        await db.execute(sa.delete(b).where(b.c.user_id == user_id))

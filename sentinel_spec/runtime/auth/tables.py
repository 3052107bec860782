"""The tables Sentinel adds beside the app's ``userEntity`` (as Wasp adds Auth,
AuthIdentity and Session).

``generated/models.py`` calls ``define_auth_tables(Base.metadata, User.__table__)``, so
the tables are part of the app's metadata: ``sentinel db migrate`` autogenerates
them and ``sentinel db upgrade`` creates and upgrades them like any entity's.

Every secret is stored as a digest (tokens) or sealed (TOTP secrets); see
docs/auth.md, "Tables". Every row hangs off the user with ``ON DELETE CASCADE``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

# Names the analyzer reserves: an entity may not map to one of these tables.
TABLE_NAMES = (
    "auth_identities",
    "auth_sessions",
    "auth_refresh_tokens",
    "auth_two_factor",
    "auth_backup_codes",
    "auth_one_time_tokens",
)

DIGEST = sa.String(64)  # hex SHA-256 / HMAC-SHA256
ID = sa.String(36)  # str(uuid4())


@dataclass(frozen=True)
class AuthTables:
    user: sa.Table
    user_id: sa.Column[object]  # the user table's primary key column
    identities: sa.Table
    sessions: sa.Table
    refresh_tokens: sa.Table
    two_factor: sa.Table
    backup_codes: sa.Table
    one_time_tokens: sa.Table


def _now() -> sa.sql.elements.TextClause:
    return sa.text("now()")


def _timestamp(name: str, *, nullable: bool = True, default_now: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=_now() if default_now else None,
    )


def define_auth_tables(metadata: sa.MetaData, user_table: sa.Table) -> AuthTables:
    """Add the auth tables to ``metadata``, each with a foreign key to ``user_table``."""
    primary = list(user_table.primary_key.columns)
    if len(primary) != 1:
        raise ValueError(
            f"the userEntity table {user_table.name!r} needs a single-column id for auth"
        )
    user_pk = primary[0]
    user_ref = f"{user_table.name}.{user_pk.name}"

    def user_fk(*, primary_key: bool = False, index: bool = True) -> sa.Column[object]:
        return sa.Column(
            "user_id",
            user_pk.type,
            sa.ForeignKey(user_ref, ondelete="CASCADE"),
            primary_key=primary_key,
            nullable=False,
            index=index and not primary_key,
        )

    identities = sa.Table(
        "auth_identities",
        metadata,
        sa.Column("id", ID, primary_key=True),
        user_fk(),
        sa.Column("provider", sa.String(32), nullable=False),  # email | google
        sa.Column("provider_user_id", sa.String(320), nullable=False),  # address | OIDC sub
        sa.Column("password_hash", sa.Text(), nullable=True),  # Argon2id PHC string
        _timestamp("verified_at"),  # email identities: when the address was confirmed
        _timestamp("created_at", nullable=False, default_now=True),
        _timestamp("last_login_at"),
        sa.UniqueConstraint("provider", "provider_user_id"),
    )
    sessions = sa.Table(
        "auth_sessions",
        metadata,
        sa.Column("id", ID, primary_key=True),  # public: /auth/sessions lists it
        sa.Column("token_digest", DIGEST, nullable=False, unique=True),
        user_fk(),
        sa.Column("family_id", ID, nullable=True, index=True),  # its refresh-token family
        sa.Column("method", sa.String(32), nullable=False),  # email | google | refresh
        _timestamp("created_at", nullable=False, default_now=True),
        _timestamp("last_seen_at", nullable=False, default_now=True),
        _timestamp("expires_at", nullable=False),  # absolute timeout
        _timestamp("revoked_at"),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
    )
    refresh_tokens = sa.Table(
        "auth_refresh_tokens",
        metadata,
        sa.Column("id", ID, primary_key=True),
        sa.Column("token_digest", DIGEST, nullable=False, unique=True),
        sa.Column("family_id", ID, nullable=False, index=True),
        user_fk(),
        _timestamp("created_at", nullable=False, default_now=True),
        _timestamp("expires_at", nullable=False),
        _timestamp("used_at"),  # rotated: presenting it again is reuse
        _timestamp("revoked_at"),
    )
    two_factor = sa.Table(
        "auth_two_factor",
        metadata,
        user_fk(primary_key=True),
        sa.Column("secret_sealed", sa.Text(), nullable=False),  # AES-GCM, see sealing.py
        _timestamp("enabled_at"),  # null while set up but not yet confirmed with a code
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),  # replay protection
        _timestamp("created_at", nullable=False, default_now=True),
    )
    backup_codes = sa.Table(
        "auth_backup_codes",
        metadata,
        sa.Column("id", ID, primary_key=True),
        user_fk(index=False),  # the unique (user_id, code_digest) index serves lookups
        sa.Column("code_digest", DIGEST, nullable=False),
        _timestamp("used_at"),
        _timestamp("created_at", nullable=False, default_now=True),
        sa.UniqueConstraint("user_id", "code_digest"),
    )
    one_time_tokens = sa.Table(
        "auth_one_time_tokens",
        metadata,
        sa.Column("id", ID, primary_key=True),
        sa.Column("token_digest", DIGEST, nullable=False, unique=True),
        user_fk(index=False),  # the (user_id, purpose) index serves lookups
        sa.Column("purpose", sa.String(32), nullable=False),  # verify-email | reset-password
        _timestamp("created_at", nullable=False, default_now=True),
        _timestamp("expires_at", nullable=False),
        _timestamp("used_at"),
        sa.Index(None, "user_id", "purpose"),
    )
    return AuthTables(
        user=user_table,
        user_id=user_pk,
        identities=identities,
        sessions=sessions,
        refresh_tokens=refresh_tokens,
        two_factor=two_factor,
        backup_codes=backup_codes,
        one_time_tokens=one_time_tokens,
    )


def auth_tables_of(metadata: sa.MetaData, user_table: sa.Table) -> AuthTables:
    """The auth tables ``generated/models.py`` defined on ``metadata``."""
    missing = [name for name in TABLE_NAMES if name not in metadata.tables]
    if missing:
        raise LookupError(
            f"the app's models define no {', '.join(missing)}: generated/models.py is "
            "older than app.auth; run `sentinel build`, then `sentinel db migrate`"
        )
    tables = metadata.tables
    return AuthTables(
        user=user_table,
        user_id=next(iter(user_table.primary_key.columns)),
        identities=tables["auth_identities"],
        sessions=tables["auth_sessions"],
        refresh_tokens=tables["auth_refresh_tokens"],
        two_factor=tables["auth_two_factor"],
        backup_codes=tables["auth_backup_codes"],
        one_time_tokens=tables["auth_one_time_tokens"],
    )

# Generated from app.sq by sentinel; do not edit.
"""The app's entities as SQLAlchemy models and its enums as Python and PostgreSQL enums.

Relationships are ``lazy="raise"``: load them explicitly, e.g.
``select(Workspace).options(selectinload(Workspace.members))``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so alembic autogenerate produces stable diffs.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    # Fetch server-generated values (now(), updatedAt) with RETURNING at flush:
    # an async session cannot load them lazily afterwards.
    __mapper_args__ = {"eager_defaults": True}


def _new_uuid() -> str:
    return str(uuid.uuid4())


class Role(enum.Enum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    VIEWER = "VIEWER"


ROLE_TYPE = sa.Enum(Role, name="role")


class Plan(enum.Enum):
    FREE = "FREE"
    HOBBY = "HOBBY"
    PRO = "PRO"
    ENTERPRISE = "ENTERPRISE"


PLAN_TYPE = sa.Enum(Plan, name="plan")


class Severity(enum.Enum):
    INFO = "INFO"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


SEVERITY_TYPE = sa.Enum(Severity, name="severity")


class IncidentStatus(enum.Enum):
    OPEN = "OPEN"
    INVESTIGATING = "INVESTIGATING"
    CONTAINED = "CONTAINED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


INCIDENT_STATUS_TYPE = sa.Enum(IncidentStatus, name="incident_status")


class CaseStatus(enum.Enum):
    NEW = "NEW"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    CLOSED = "CLOSED"


CASE_STATUS_TYPE = sa.Enum(CaseStatus, name="case_status")


class AlertStatus(enum.Enum):
    NEW = "NEW"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    INVESTIGATING = "INVESTIGATING"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"


ALERT_STATUS_TYPE = sa.Enum(AlertStatus, name="alert_status")


class DetectionStatus(enum.Enum):
    NEW = "NEW"
    CONFIRMED = "CONFIRMED"
    FALSE_POSITIVE = "FALSE_POSITIVE"
    TAKEDOWN_REQUESTED = "TAKEDOWN_REQUESTED"
    RESOLVED = "RESOLVED"


DETECTION_STATUS_TYPE = sa.Enum(DetectionStatus, name="detection_status")


class NotificationType(enum.Enum):
    INFO = "INFO"
    SUCCESS = "SUCCESS"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


NOTIFICATION_TYPE_TYPE = sa.Enum(NotificationType, name="notification_type")


class ProviderType(enum.Enum):
    EMAIL = "EMAIL"
    SLACK = "SLACK"
    DISCORD = "DISCORD"
    WEBHOOK = "WEBHOOK"
    TELEGRAM = "TELEGRAM"
    TEAMS = "TEAMS"


PROVIDER_TYPE_TYPE = sa.Enum(ProviderType, name="provider_type")


class DeliveryChannel(enum.Enum):
    EMAIL = "EMAIL"
    PUSH = "PUSH"
    SLACK = "SLACK"
    DISCORD = "DISCORD"
    WEBHOOK = "WEBHOOK"
    TELEGRAM = "TELEGRAM"
    TEAMS = "TEAMS"


DELIVERY_CHANNEL_TYPE = sa.Enum(DeliveryChannel, name="delivery_channel")


class DeliveryStatus(enum.Enum):
    PENDING = "PENDING"
    SENT = "SENT"
    RETRYING = "RETRYING"
    DEAD_LETTER = "DEAD_LETTER"
    SKIPPED = "SKIPPED"


DELIVERY_STATUS_TYPE = sa.Enum(DeliveryStatus, name="delivery_status")


class DigestFrequency(enum.Enum):
    REALTIME = "REALTIME"
    HOURLY = "HOURLY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


DIGEST_FREQUENCY_TYPE = sa.Enum(DigestFrequency, name="digest_frequency")


class AuditAction(enum.Enum):
    USER_LOGIN = "USER_LOGIN"
    USER_UPDATED = "USER_UPDATED"
    ONBOARDING_COMPLETED = "ONBOARDING_COMPLETED"
    WORKSPACE_SWITCHED = "WORKSPACE_SWITCHED"
    TWO_FACTOR_SETUP_STARTED = "TWO_FACTOR_SETUP_STARTED"
    TWO_FACTOR_ENABLED = "TWO_FACTOR_ENABLED"
    TWO_FACTOR_DISABLED = "TWO_FACTOR_DISABLED"
    BACKUP_CODES_REGENERATED = "BACKUP_CODES_REGENERATED"
    WORKSPACE_CREATED = "WORKSPACE_CREATED"
    WORKSPACE_UPDATED = "WORKSPACE_UPDATED"
    WORKSPACE_DELETED = "WORKSPACE_DELETED"
    WORKSPACE_RESTORED = "WORKSPACE_RESTORED"
    WORKSPACE_PURGED = "WORKSPACE_PURGED"
    WORKSPACE_SECURITY_UPDATED = "WORKSPACE_SECURITY_UPDATED"
    WORKSPACE_BRANDING_UPDATED = "WORKSPACE_BRANDING_UPDATED"
    DATA_EXPORTED = "DATA_EXPORTED"
    MEMBER_ADDED = "MEMBER_ADDED"
    MEMBER_REMOVED = "MEMBER_REMOVED"
    MEMBER_LEFT = "MEMBER_LEFT"
    MEMBER_ROLE_CHANGED = "MEMBER_ROLE_CHANGED"
    INVITATION_SENT = "INVITATION_SENT"
    INVITATION_ACCEPTED = "INVITATION_ACCEPTED"
    INVITATION_REVOKED = "INVITATION_REVOKED"
    OWNERSHIP_TRANSFER_REQUESTED = "OWNERSHIP_TRANSFER_REQUESTED"
    OWNERSHIP_TRANSFERRED = "OWNERSHIP_TRANSFERRED"
    PAYMENT_SUCCEEDED = "PAYMENT_SUCCEEDED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    SUBSCRIPTION_CHANGED = "SUBSCRIPTION_CHANGED"
    SUBSCRIPTION_CANCELLED = "SUBSCRIPTION_CANCELLED"
    SUBSCRIPTION_DELETED = "SUBSCRIPTION_DELETED"
    PROVIDER_CONFIGURED = "PROVIDER_CONFIGURED"
    SETTINGS_UPDATED = "SETTINGS_UPDATED"
    FILE_UPLOADED = "FILE_UPLOADED"
    ALERT_CREATED = "ALERT_CREATED"
    ALERT_UPDATED = "ALERT_UPDATED"
    ALERT_ESCALATED = "ALERT_ESCALATED"
    INCIDENT_CREATED = "INCIDENT_CREATED"
    INCIDENT_UPDATED = "INCIDENT_UPDATED"
    INCIDENT_RESOLVED = "INCIDENT_RESOLVED"
    CASE_CREATED = "CASE_CREATED"
    CASE_UPDATED = "CASE_UPDATED"
    CASE_CLOSED = "CASE_CLOSED"
    EVIDENCE_UPLOADED = "EVIDENCE_UPLOADED"
    EVIDENCE_ACCESSED = "EVIDENCE_ACCESSED"
    TTP_LINKED = "TTP_LINKED"
    TTP_UNLINKED = "TTP_UNLINKED"
    TTP_OCCURRENCE_UPDATED = "TTP_OCCURRENCE_UPDATED"
    TTP_SYNCED = "TTP_SYNCED"
    ECLIPSE_BRAND_CREATED = "ECLIPSE_BRAND_CREATED"
    ECLIPSE_BRAND_UPDATED = "ECLIPSE_BRAND_UPDATED"
    ECLIPSE_BRAND_DELETED = "ECLIPSE_BRAND_DELETED"
    ECLIPSE_MONITOR_CREATED = "ECLIPSE_MONITOR_CREATED"
    ECLIPSE_MONITOR_UPDATED = "ECLIPSE_MONITOR_UPDATED"
    ECLIPSE_ALERT_CREATED = "ECLIPSE_ALERT_CREATED"
    ECLIPSE_ALERT_ACKNOWLEDGED = "ECLIPSE_ALERT_ACKNOWLEDGED"
    ECLIPSE_ALERT_ESCALATED = "ECLIPSE_ALERT_ESCALATED"
    ECLIPSE_INFRINGEMENT_CREATED = "ECLIPSE_INFRINGEMENT_CREATED"
    ECLIPSE_INFRINGEMENT_UPDATED = "ECLIPSE_INFRINGEMENT_UPDATED"
    ECLIPSE_ACTION_CREATED = "ECLIPSE_ACTION_CREATED"
    ECLIPSE_ACTION_COMPLETED = "ECLIPSE_ACTION_COMPLETED"
    FEATURE_USED = "FEATURE_USED"
    FEATURE_DENIED = "FEATURE_DENIED"
    FEATURES_UPDATED = "FEATURES_UPDATED"
    ADMIN_ACTION = "ADMIN_ACTION"
    ADMIN_SUSPEND_USER = "ADMIN_SUSPEND_USER"
    ADMIN_SUSPEND_WORKSPACE = "ADMIN_SUSPEND_WORKSPACE"
    ADMIN_RESET_PASSWORD = "ADMIN_RESET_PASSWORD"
    ADMIN_RESET_2FA = "ADMIN_RESET_2FA"
    ADMIN_DELETE_USER = "ADMIN_DELETE_USER"
    ADMIN_UPDATE_QUOTAS = "ADMIN_UPDATE_QUOTAS"
    UPDATE_USER_ADMIN_STATUS = "UPDATE_USER_ADMIN_STATUS"
    MESSAGE_SENT = "MESSAGE_SENT"
    MESSAGE_UPDATED = "MESSAGE_UPDATED"
    MESSAGE_DELETED = "MESSAGE_DELETED"


AUDIT_ACTION_TYPE = sa.Enum(AuditAction, name="audit_action")


class LogLevel(enum.Enum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


LOG_LEVEL_TYPE = sa.Enum(LogLevel, name="log_level")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    email: Mapped[str] = mapped_column(sa.String(), unique=True)
    username: Mapped[str | None] = mapped_column(sa.String(), unique=True)
    displayName: Mapped[str | None] = mapped_column(sa.String(120))
    avatarUrl: Mapped[str | None] = mapped_column(sa.String())
    jobTitle: Mapped[str | None] = mapped_column(sa.String(120))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")
    locale: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")
    isAdmin: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    isEmailVerified: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    twoFactorEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    hasCompletedOnboarding: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    onboardingCompletedAt: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime(timezone=True),
    )
    currentWorkspace: Mapped[Workspace | None] = relationship(
        back_populates="currentUsers",
        foreign_keys="[User.currentWorkspaceId]",
        lazy="raise",
    )
    currentWorkspaceId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="SET NULL"),
    )
    lastLoginAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    lastLoginIp: Mapped[str | None] = mapped_column(sa.String())
    isSuspended: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    suspendedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    suspendedReason: Mapped[str | None] = mapped_column(sa.String())
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )
    memberships: Mapped[list[WorkspaceMember]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    ownedWorkspaces: Mapped[list[Workspace]] = relationship(
        back_populates="owner",
        foreign_keys="[Workspace.ownerId]",
        passive_deletes="all",
        lazy="raise",
    )
    invitationsSent: Mapped[list[WorkspaceInvitation]] = relationship(
        back_populates="invitedBy",
        passive_deletes="all",
        lazy="raise",
    )
    auditLogs: Mapped[list[AuditLog]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    contactMessages: Mapped[list[ContactFormMessage]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    notificationPreference: Mapped[NotificationPreference | None] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    pushSubscriptions: Mapped[list[PushSubscription]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )


class Workspace(Base):
    __tablename__ = "Workspace"
    __table_args__ = (
        sa.Index(None, "createdAt"),
        sa.Index(None, "deletedAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text())
    owner: Mapped[User | None] = relationship(
        back_populates="ownedWorkspaces",
        foreign_keys="[Workspace.ownerId]",
        lazy="raise",
    )
    ownerId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="SET NULL"),
    )
    plan: Mapped[Plan] = mapped_column(PLAN_TYPE, default=Plan.FREE, server_default="FREE")
    subscriptionStatus: Mapped[str | None] = mapped_column(sa.String())
    paymentProcessorUserId: Mapped[str | None] = mapped_column(sa.String(), unique=True)
    datePaid: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    credits: Mapped[int] = mapped_column(sa.Integer(), default=3, server_default=sa.text("3"))
    trialEndsAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    trialUsed: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    logoUrl: Mapped[str | None] = mapped_column(sa.String())
    primaryColor: Mapped[str | None] = mapped_column(sa.String(7))
    secondaryColor: Mapped[str | None] = mapped_column(sa.String(7))
    maxMembersOverride: Mapped[int | None] = mapped_column(sa.Integer())
    storageUsedBytes: Mapped[int] = mapped_column(
        sa.BigInteger(),
        default=0,
        server_default=sa.text("0"),
    )
    storageQuotaBytes: Mapped[int] = mapped_column(
        sa.BigInteger(),
        default=1073741824,
        server_default=sa.text("1073741824"),
    )
    ipAllowlist: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    ipAllowlistEntries: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    ipAllowlistEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    sessionTimeoutMins: Mapped[int] = mapped_column(
        sa.Integer(),
        default=30,
        server_default=sa.text("30"),
    )
    requireTwoFactor: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    settings: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=True)
    isActive: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=True,
        server_default=sa.text("true"),
    )
    deletedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )
    members: Mapped[list[WorkspaceMember]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    invitations: Mapped[list[WorkspaceInvitation]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    ownershipTransfers: Mapped[list[OwnershipTransferConfirmation]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    currentUsers: Mapped[list[User]] = relationship(
        back_populates="currentWorkspace",
        foreign_keys="[User.currentWorkspaceId]",
        passive_deletes="all",
        lazy="raise",
    )
    auditLogs: Mapped[list[AuditLog]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    notificationProviders: Mapped[list[NotificationProvider]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )
    pushSubscriptions: Mapped[list[PushSubscription]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )


class WorkspaceMember(Base):
    __tablename__ = "WorkspaceMember"
    __table_args__ = (
        sa.UniqueConstraint("userId", "workspaceId"),
        sa.Index(None, "workspaceId", "role"),
    )

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.MEMBER, server_default="MEMBER")
    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    userId: Mapped[str] = mapped_column(sa.String(), sa.ForeignKey("users.id", ondelete="CASCADE"))
    workspace: Mapped[Workspace] = relationship(back_populates="members", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    joinedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class WorkspaceInvitation(Base):
    __tablename__ = "WorkspaceInvitation"
    __table_args__ = (
        sa.Index(None, "workspaceId", "email"),
        sa.Index(None, "expiresAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    email: Mapped[str] = mapped_column(sa.String())
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.MEMBER, server_default="MEMBER")
    tokenDigest: Mapped[str] = mapped_column(sa.String(), unique=True)
    workspace: Mapped[Workspace] = relationship(back_populates="invitations", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    invitedBy: Mapped[User] = relationship(back_populates="invitationsSent", lazy="raise")
    invitedById: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
    )
    expiresAt: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True))
    acceptedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acceptedById: Mapped[str | None] = mapped_column(sa.String())
    revokedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class OwnershipTransferConfirmation(Base):
    __tablename__ = "OwnershipTransferConfirmation"
    __table_args__ = (
        sa.Index(None, "workspaceId"),
        sa.Index(None, "expiresAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspace: Mapped[Workspace] = relationship(back_populates="ownershipTransfers", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    currentOwnerId: Mapped[str] = mapped_column(sa.String())
    newOwnerId: Mapped[str] = mapped_column(sa.String())
    tokenDigest: Mapped[str] = mapped_column(sa.String(), unique=True)
    expiresAt: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True))
    confirmedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ipAddress: Mapped[str | None] = mapped_column(sa.String())
    userAgent: Mapped[str | None] = mapped_column(sa.String())
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Alert(Base):
    __tablename__ = "Alert"
    __table_args__ = (
        sa.Index(None, "workspaceId", "createdAt"),
        sa.Index(None, "workspaceId", "incidentId"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String())
    title: Mapped[str] = mapped_column(sa.String())
    description: Mapped[str | None] = mapped_column(sa.Text())
    source: Mapped[str] = mapped_column(sa.String())
    severity: Mapped[Severity] = mapped_column(
        SEVERITY_TYPE,
        default=Severity.MEDIUM,
        server_default="MEDIUM",
    )
    status: Mapped[AlertStatus] = mapped_column(
        ALERT_STATUS_TYPE,
        default=AlertStatus.NEW,
        server_default="NEW",
    )
    tags: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    payload: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=True)
    screenshotUrl: Mapped[str | None] = mapped_column(sa.String())
    incident: Mapped[Incident | None] = relationship(back_populates="alerts", lazy="raise")
    incidentId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("Incident.id", ondelete="SET NULL"),
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Incident(Base):
    __tablename__ = "Incident"
    __table_args__ = (
        sa.Index(None, "workspaceId", "status"),
        sa.Index(None, "workspaceId", "createdAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String())
    title: Mapped[str] = mapped_column(sa.String())
    severity: Mapped[Severity] = mapped_column(
        SEVERITY_TYPE,
        default=Severity.MEDIUM,
        server_default="MEDIUM",
    )
    status: Mapped[IncidentStatus] = mapped_column(
        INCIDENT_STATUS_TYPE,
        default=IncidentStatus.OPEN,
        server_default="OPEN",
    )
    slaDeadline: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    alerts: Mapped[list[Alert]] = relationship(
        back_populates="incident",
        passive_deletes="all",
        lazy="raise",
    )
    cases: Mapped[list[Case]] = relationship(
        back_populates="incident",
        passive_deletes="all",
        lazy="raise",
    )
    techniques: Mapped[list[IncidentTechnique]] = relationship(
        back_populates="incident",
        passive_deletes="all",
        lazy="raise",
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class Case(Base):
    __tablename__ = "Case"
    __table_args__ = (sa.Index(None, "workspaceId", "status"),)

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String())
    title: Mapped[str] = mapped_column(sa.String())
    status: Mapped[CaseStatus] = mapped_column(
        CASE_STATUS_TYPE,
        default=CaseStatus.NEW,
        server_default="NEW",
    )
    priority: Mapped[int] = mapped_column(sa.Integer(), default=3, server_default=sa.text("3"))
    assigneeId: Mapped[str | None] = mapped_column(sa.String())
    incident: Mapped[Incident | None] = relationship(back_populates="cases", lazy="raise")
    incidentId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("Incident.id", ondelete="SET NULL"),
    )
    estimatedLoss: Mapped[decimal.Decimal | None] = mapped_column(sa.Numeric())
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class MitreTechnique(Base):
    __tablename__ = "MitreTechnique"

    id: Mapped[str] = mapped_column(sa.String(), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String())
    tactic: Mapped[str] = mapped_column(sa.String())
    description: Mapped[str | None] = mapped_column(sa.Text())
    url: Mapped[str | None] = mapped_column(sa.String())
    incidents: Mapped[list[IncidentTechnique]] = relationship(
        back_populates="technique",
        passive_deletes="all",
        lazy="raise",
    )
    syncedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class IncidentTechnique(Base):
    __tablename__ = "IncidentTechnique"

    incident: Mapped[Incident] = relationship(back_populates="techniques", lazy="raise")
    incidentId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Incident.id", ondelete="CASCADE"),
        primary_key=True,
    )
    technique: Mapped[MitreTechnique] = relationship(back_populates="incidents", lazy="raise")
    techniqueId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("MitreTechnique.id", ondelete="CASCADE"),
        primary_key=True,
    )


class Brand(Base):
    __tablename__ = "Brand"
    __table_args__ = (sa.UniqueConstraint("workspaceId", "name"),)

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String())
    name: Mapped[str] = mapped_column(sa.String())
    domains: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    keywords: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    detections: Mapped[list[BrandDetection]] = relationship(
        back_populates="brand",
        passive_deletes="all",
        lazy="raise",
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class BrandDetection(Base):
    __tablename__ = "BrandDetection"
    __table_args__ = (sa.Index(None, "brandId", "status"),)

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    brand: Mapped[Brand] = relationship(back_populates="detections", lazy="raise")
    brandId: Mapped[str] = mapped_column(sa.String(), sa.ForeignKey("Brand.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String())
    status: Mapped[DetectionStatus] = mapped_column(
        DETECTION_STATUS_TYPE,
        default=DetectionStatus.NEW,
        server_default="NEW",
    )
    confidence: Mapped[float] = mapped_column(
        sa.Double(),
        default=0.5,
        server_default=sa.text("0.5"),
    )
    evidence: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=True)
    detectedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Notification(Base):
    __tablename__ = "Notification"
    __table_args__ = (
        sa.Index(None, "userId", "isRead"),
        sa.Index(None, "userId", "createdAt"),
        sa.Index(None, "workspaceId", "createdAt"),
        sa.Index(None, "createdAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    user: Mapped[User] = relationship(back_populates="notifications", lazy="raise")
    userId: Mapped[str] = mapped_column(sa.String(), sa.ForeignKey("users.id", ondelete="CASCADE"))
    workspace: Mapped[Workspace] = relationship(back_populates="notifications", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    type: Mapped[NotificationType] = mapped_column(
        NOTIFICATION_TYPE_TYPE,
        default=NotificationType.INFO,
        server_default="INFO",
    )
    eventType: Mapped[str] = mapped_column(sa.String(100))
    title: Mapped[str] = mapped_column(sa.String(200))
    message: Mapped[str] = mapped_column(sa.Text())
    link: Mapped[str | None] = mapped_column(sa.String(2048))
    metadata_: Mapped[Any] = mapped_column(
        "metadata",
        postgresql.JSONB(none_as_null=True),
        nullable=True,
    )
    isRead: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    readAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    digestedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class NotificationPreference(Base):
    __tablename__ = "NotificationPreference"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    user: Mapped[User] = relationship(back_populates="notificationPreference", lazy="raise")
    userId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        unique=True,
    )
    inAppEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=True,
        server_default=sa.text("true"),
    )
    emailEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=True,
        server_default=sa.text("true"),
    )
    pushEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    disabledEventTypes: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    digestFrequency: Mapped[DigestFrequency] = mapped_column(
        DIGEST_FREQUENCY_TYPE,
        default=DigestFrequency.REALTIME,
        server_default="REALTIME",
    )
    digestTime: Mapped[str] = mapped_column(sa.String(5), default="09:00", server_default="09:00")
    lastDigestSentAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    dndEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    dndStartTime: Mapped[str | None] = mapped_column(sa.String(5))
    dndEndTime: Mapped[str | None] = mapped_column(sa.String(5))
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class NotificationProvider(Base):
    __tablename__ = "NotificationProvider"
    __table_args__ = (sa.UniqueConstraint("workspaceId", "provider"),)

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspace: Mapped[Workspace] = relationship(
        back_populates="notificationProviders",
        lazy="raise",
    )
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    provider: Mapped[ProviderType] = mapped_column(PROVIDER_TYPE_TYPE)
    isEnabled: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=True,
        server_default=sa.text("true"),
    )
    publicConfig: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=False)
    secretConfig: Mapped[str] = mapped_column(sa.Text())
    eventTypes: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class NotificationDeliveryLog(Base):
    __tablename__ = "NotificationDeliveryLog"
    __table_args__ = (
        sa.Index(None, "status", "nextRetryAt"),
        sa.Index(None, "workspaceId", "channel"),
        sa.Index(None, "createdAt"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    notificationId: Mapped[str | None] = mapped_column(sa.String())
    workspaceId: Mapped[str] = mapped_column(sa.String())
    userId: Mapped[str | None] = mapped_column(sa.String())
    providerId: Mapped[str | None] = mapped_column(sa.String())
    channel: Mapped[DeliveryChannel] = mapped_column(DELIVERY_CHANNEL_TYPE)
    eventType: Mapped[str] = mapped_column(sa.String(100))
    status: Mapped[DeliveryStatus] = mapped_column(
        DELIVERY_STATUS_TYPE,
        default=DeliveryStatus.PENDING,
        server_default="PENDING",
    )
    attempts: Mapped[int] = mapped_column(sa.Integer(), default=0, server_default=sa.text("0"))
    maxAttempts: Mapped[int] = mapped_column(sa.Integer(), default=3, server_default=sa.text("3"))
    lastError: Mapped[str | None] = mapped_column(sa.Text())
    responseStatus: Mapped[int | None] = mapped_column(sa.Integer())
    lastAttemptAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    nextRetryAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deliveredAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    payload: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=True)
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class PushSubscription(Base):
    __tablename__ = "PushSubscription"
    __table_args__ = (
        sa.Index(None, "userId"),
        sa.Index(None, "workspaceId"),
    )

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    user: Mapped[User] = relationship(back_populates="pushSubscriptions", lazy="raise")
    userId: Mapped[str] = mapped_column(sa.String(), sa.ForeignKey("users.id", ondelete="CASCADE"))
    workspace: Mapped[Workspace] = relationship(back_populates="pushSubscriptions", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
    )
    endpoint: Mapped[str] = mapped_column(sa.String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    userAgent: Mapped[str | None] = mapped_column(sa.String(500))
    deviceName: Mapped[str | None] = mapped_column(sa.String(120))
    lastUsedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class UploadedFile(Base):
    __tablename__ = "UploadedFile"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String())
    uploaderId: Mapped[str] = mapped_column(sa.String())
    name: Mapped[str] = mapped_column(sa.String())
    mimeType: Mapped[str] = mapped_column(sa.String())
    sizeBytes: Mapped[int] = mapped_column(sa.BigInteger())
    storageKey: Mapped[str] = mapped_column(sa.String(), unique=True)
    checksum: Mapped[bytes | None] = mapped_column(sa.LargeBinary())
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Subscription(Base):
    __tablename__ = "Subscription"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    workspaceId: Mapped[str] = mapped_column(sa.String(), unique=True)
    stripeCustomerId: Mapped[str | None] = mapped_column(sa.String(), unique=True)
    stripeSubscriptionId: Mapped[str | None] = mapped_column(sa.String(), unique=True)
    plan: Mapped[Plan] = mapped_column(PLAN_TYPE, default=Plan.FREE, server_default="FREE")
    status: Mapped[str] = mapped_column(sa.String(), default="inactive", server_default="inactive")
    currentPeriodEnd: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    payments: Mapped[list[Payment]] = relationship(
        back_populates="subscription",
        passive_deletes="all",
        lazy="raise",
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class Payment(Base):
    __tablename__ = "Payment"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    subscription: Mapped[Subscription] = relationship(back_populates="payments", lazy="raise")
    subscriptionId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Subscription.id", ondelete="CASCADE"),
    )
    stripeInvoiceId: Mapped[str] = mapped_column(sa.String(), unique=True)
    amount: Mapped[decimal.Decimal] = mapped_column(sa.Numeric())
    currency: Mapped[str] = mapped_column(sa.String(), default="usd", server_default="usd")
    paidAt: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True))


class DailyStats(Base):
    __tablename__ = "DailyStats"
    __table_args__ = (sa.UniqueConstraint("workspaceId", "day"),)

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    workspaceId: Mapped[str] = mapped_column(sa.String())
    day: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True))
    alertCount: Mapped[int] = mapped_column(sa.Integer(), default=0, server_default=sa.text("0"))
    incidentCount: Mapped[int] = mapped_column(sa.Integer(), default=0, server_default=sa.text("0"))
    openCases: Mapped[int] = mapped_column(sa.Integer(), default=0, server_default=sa.text("0"))


class AuditLog(Base):
    __tablename__ = "AuditLog"
    __table_args__ = (
        sa.Index(None, "workspaceId", "createdAt", "id"),
        sa.Index(None, "userId", "createdAt"),
        sa.Index(None, "action", "createdAt"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger(), sa.Identity(), primary_key=True)
    workspace: Mapped[Workspace | None] = relationship(back_populates="auditLogs", lazy="raise")
    workspaceId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="SET NULL"),
    )
    user: Mapped[User | None] = relationship(back_populates="auditLogs", lazy="raise")
    userId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="SET NULL"),
    )
    action: Mapped[AuditAction] = mapped_column(AUDIT_ACTION_TYPE)
    resource: Mapped[str] = mapped_column(sa.String(64))
    resourceId: Mapped[str | None] = mapped_column(sa.String())
    description: Mapped[str | None] = mapped_column(sa.Text())
    metadata_: Mapped[Any] = mapped_column(
        "metadata",
        postgresql.JSONB(none_as_null=True),
        nullable=True,
    )
    ipAddress: Mapped[str | None] = mapped_column(sa.String())
    userAgent: Mapped[str | None] = mapped_column(sa.String(512))
    requestId: Mapped[str | None] = mapped_column(sa.String())
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class SystemLog(Base):
    __tablename__ = "SystemLog"
    __table_args__ = (
        sa.Index(None, "level", "createdAt"),
        sa.Index(None, "component", "createdAt"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger(), sa.Identity(), primary_key=True)
    level: Mapped[LogLevel] = mapped_column(LOG_LEVEL_TYPE)
    message: Mapped[str] = mapped_column(sa.Text())
    component: Mapped[str] = mapped_column(sa.String(64))
    metadata_: Mapped[Any] = mapped_column(
        "metadata",
        postgresql.JSONB(none_as_null=True),
        nullable=True,
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class ContactFormMessage(Base):
    __tablename__ = "ContactFormMessage"
    __table_args__ = (sa.Index(None, "isRead", "createdAt"),)

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    user: Mapped[User] = relationship(back_populates="contactMessages", lazy="raise")
    userId: Mapped[str] = mapped_column(sa.String(), sa.ForeignKey("users.id", ondelete="CASCADE"))
    content: Mapped[str] = mapped_column(sa.Text())
    isRead: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    repliedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


MODELS: dict[str, type[Base]] = {
    "User": User,
    "Workspace": Workspace,
    "WorkspaceMember": WorkspaceMember,
    "WorkspaceInvitation": WorkspaceInvitation,
    "OwnershipTransferConfirmation": OwnershipTransferConfirmation,
    "Alert": Alert,
    "Incident": Incident,
    "Case": Case,
    "MitreTechnique": MitreTechnique,
    "IncidentTechnique": IncidentTechnique,
    "Brand": Brand,
    "BrandDetection": BrandDetection,
    "Notification": Notification,
    "NotificationPreference": NotificationPreference,
    "NotificationProvider": NotificationProvider,
    "NotificationDeliveryLog": NotificationDeliveryLog,
    "PushSubscription": PushSubscription,
    "UploadedFile": UploadedFile,
    "Subscription": Subscription,
    "Payment": Payment,
    "DailyStats": DailyStats,
    "AuditLog": AuditLog,
    "SystemLog": SystemLog,
    "ContactFormMessage": ContactFormMessage,
}


def _realtime_tables() -> Any:
    # Imported here, like new_cuid above, for the same reason.
    from sentinel_spec.runtime.realtime.tables import define_realtime_tables

    return define_realtime_tables(Base.metadata)


# The realtime feature's tables (message replay, uploaded files): migrated like any entity.
REALTIME_TABLES = _realtime_tables()


def _auth_tables() -> Any:
    # Imported here, like new_cuid above, for the same reason.
    from sentinel_spec.runtime.auth.tables import define_auth_tables

    return define_auth_tables(Base.metadata, User.__table__)


# The tables app.auth adds beside User (sessions, identities, refresh tokens, 2FA
# secrets, backup codes, one-time tokens): migrated like any entity (docs/auth.md, "Tables").
AUTH_TABLES = _auth_tables()

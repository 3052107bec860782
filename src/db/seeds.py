"""Demo data: ``sentinel db seed demo`` fills a realistic demo workspace.

"Acme Security" (PRO plan) with one user per role who can sign in (password
``Demo-password-1``, addresses ``<role>@demo.sentineliq.dev``: owner, admin, analyst
(MEMBER), auditor (VIEWER)) and eight more analysts, pending / accepted / expired
invitations, a month of audit history, some system logs and a contact message, plus the
MITRE techniques the incident pages link to. Seeding twice changes nothing.

The sign-in identities are written into the framework's own ``auth_identities`` table,
with an Argon2id hash made by the framework's hasher, exactly as a signup leaves them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import insert, select

from src.core.tokens import new_token, token_digest

DEMO_PASSWORD = "Demo-password-1"
DOMAIN = "demo.sentineliq.dev"
PEOPLE = [
    ("owner", "Olivia Okafor", "OWNER", "CISO"),
    ("admin", "Arjun Mehta", "ADMIN", "SOC manager"),
    ("analyst", "Mia Hoffmann", "MEMBER", "Security analyst"),
    ("auditor", "Victor Lindqvist", "VIEWER", "External auditor"),
    *[
        (f"analyst{n}", name, "MEMBER", "Security analyst")
        for n, name in enumerate(
            [
                "Ines Duarte",
                "Kenji Watanabe",
                "Leila Haddad",
                "Tomasz Nowak",
                "Priya Raman",
                "Sam Oduya",
                "Elena Petrova",
                "Noah Brennan",
            ],
            start=2,
        )
    ],
]
TECHNIQUES = [
    ("T1566", "Phishing", "initial-access"),
    ("T1078", "Valid Accounts", "defense-evasion"),
    ("T1486", "Data Encrypted for Impact", "impact"),
]
HISTORY = [  # (action, resource, description) drawn for the month of audit history
    ("USER_LOGIN", "session", None),
    ("ALERT_CREATED", "alert", "alert from the EDR connector"),
    ("ALERT_UPDATED", "alert", "alert triaged"),
    ("INCIDENT_CREATED", "incident", "phishing campaign opened as an incident"),
    ("INCIDENT_RESOLVED", "incident", "incident resolved"),
    ("CASE_CREATED", "case", "case opened for the legal team"),
    ("WORKSPACE_UPDATED", "workspace", "updated settings"),
    ("DATA_EXPORTED", "audit_log", "audit log exported for the quarterly review"),
]


async def seed_demo(session: Any) -> None:
    from generated.models import (
        AUTH_TABLES,
        AuditLog,
        ContactFormMessage,
        MitreTechnique,
        SystemLog,
        User,
        Workspace,
        WorkspaceInvitation,
        WorkspaceMember,
    )
    from sentinel_spec.runtime.auth.passwords import PasswordHasher

    if await session.scalar(select(User.id).where(User.email == f"owner@{DOMAIN}")):
        return  # seeding twice changes nothing
    now = dt.datetime.now(dt.UTC)
    rng = random.Random(14)  # the same demo every time
    password_hash = PasswordHasher().hash(DEMO_PASSWORD)

    workspace = Workspace(
        id=str(uuid.uuid4()),
        name="Acme Security",
        slug="acme-security",
        description="Acme Corp's security operations centre.",
        plan="PRO",
        subscriptionStatus="active",
        primaryColor="#1d4ed8",
        secondaryColor="#0f172a",
        sessionTimeoutMins=60,
        ipAllowlist=[],
        ipAllowlistEntries=["10.0.0.0/8", "192.168.10.0/24"],  # saved, not enforced
        ipAllowlistEnabled=False,
    )
    users: dict[str, Any] = {}
    for key, name, _role, title in PEOPLE:
        users[key] = User(
            id=str(uuid.uuid4()),
            email=f"{key}@{DOMAIN}",
            displayName=name,
            jobTitle=title,
            isEmailVerified=True,
            hasCompletedOnboarding=True,
            onboardingCompletedAt=now - dt.timedelta(days=40),
            currentWorkspaceId=None,
            lastLoginAt=now - dt.timedelta(hours=rng.randint(1, 72)),
        )
    session.add_all(users.values())
    await session.flush()
    workspace.ownerId = users["owner"].id
    session.add(workspace)
    await session.flush()
    for key, _name, role, _title in PEOPLE:
        users[key].currentWorkspaceId = workspace.id
        session.add(
            WorkspaceMember(
                userId=users[key].id,
                workspaceId=workspace.id,
                role=role,
                joinedAt=now - dt.timedelta(days=rng.randint(5, 60)),
            )
        )
    await session.execute(
        insert(AUTH_TABLES.identities),
        [
            {
                "id": str(uuid.uuid4()),
                "user_id": user.id,
                "provider": "email",
                "provider_user_id": user.email,
                "password_hash": password_hash,
                "verified_at": now - dt.timedelta(days=60),
            }
            for user in users.values()
        ],
    )

    def invitation(email: str, role: str, **times: Any) -> Any:
        # Links nobody holds: only the digest of a fresh token is kept, as in real use.
        return WorkspaceInvitation(
            workspaceId=workspace.id,
            email=email,
            role=role,
            tokenDigest=token_digest(new_token()),
            invitedById=users["admin"].id,
            **times,
        )

    session.add_all(
        [
            invitation("new.hire@example.com", "MEMBER", expiresAt=now + dt.timedelta(days=5)),
            invitation("contractor@example.com", "VIEWER", expiresAt=now + dt.timedelta(days=2)),
            invitation(
                f"analyst2@{DOMAIN}",
                "MEMBER",
                expiresAt=now - dt.timedelta(days=20),
                acceptedAt=now - dt.timedelta(days=25),
                acceptedById=users["analyst2"].id,
            ),
            invitation("late@example.com", "MEMBER", expiresAt=now - dt.timedelta(days=1)),
        ]
    )

    actors = list(users.values())
    entries = [
        AuditLog(
            workspaceId=workspace.id,
            userId=users["owner"].id,
            action="WORKSPACE_CREATED",
            resource="workspace",
            resourceId=workspace.id,
            description="created workspace 'Acme Security'",
            ipAddress="203.0.113.10",
            createdAt=now - dt.timedelta(days=61),
        )
    ]
    for _ in range(240):
        action, resource, description = rng.choice(HISTORY)
        actor = rng.choice(actors)
        entries.append(
            AuditLog(
                workspaceId=None if action == "USER_LOGIN" else workspace.id,
                userId=actor.id,
                action=action,
                resource=resource,
                resourceId=str(uuid.UUID(int=rng.getrandbits(128))),
                description=description,
                ipAddress=f"198.51.100.{rng.randint(2, 250)}",
                userAgent="Mozilla/5.0 (demo)",
                createdAt=now - dt.timedelta(minutes=rng.randint(5, 30 * 24 * 60)),
            )
        )
    entries.append(
        AuditLog(
            workspaceId=workspace.id,
            userId=users["owner"].id,
            action="MEMBER_ROLE_CHANGED",
            resource="member",
            resourceId=users["admin"].id,
            metadata_={"before": "MEMBER", "after": "ADMIN"},
            ipAddress="203.0.113.10",
            createdAt=now - dt.timedelta(days=30),
        )
    )
    session.add_all(entries)
    session.add_all(
        [
            SystemLog(
                level="INFO",
                component="job",
                message="daily stats computed",
                createdAt=now - dt.timedelta(hours=3),
            ),
            SystemLog(
                level="WARN",
                component="webhook",
                message="Slack answered 429; retrying",
                createdAt=now - dt.timedelta(hours=9),
            ),
            SystemLog(
                level="ERROR",
                component="api",
                message="MITRE sync timed out",
                createdAt=now - dt.timedelta(days=2),
            ),
        ]
    )
    session.add(
        ContactFormMessage(
            userId=users["analyst"].id,
            content="Could the audit export include the user agent column? Thanks!",
            createdAt=now - dt.timedelta(days=1),
        )
    )
    for technique_id, name, tactic in TECHNIQUES:
        if await session.get(MitreTechnique, technique_id) is None:
            session.add(MitreTechnique(id=technique_id, name=name, tactic=tactic))

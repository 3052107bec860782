"""Demo data: `sentinel db seed` runs these."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select


async def seed_demo(session: Any) -> None:
    from generated.models import MitreTechnique, User, Workspace, WorkspaceMember

    if await session.scalar(select(User).where(User.email == "demo@sentineliq.dev")):
        return  # seeding twice changes nothing
    user = User(email="demo@sentineliq.dev", isEmailVerified=True)
    workspace = Workspace(name="Demo Security", slug="demo-security")
    session.add_all([user, workspace])
    await session.flush()
    session.add(WorkspaceMember(userId=user.id, workspaceId=workspace.id, role="OWNER"))
    for technique_id, name, tactic in [
        ("T1566", "Phishing", "initial-access"),
        ("T1078", "Valid Accounts", "defense-evasion"),
        ("T1486", "Data Encrypted for Impact", "impact"),
    ]:
        session.add(MitreTechnique(id=technique_id, name=name, tactic=tactic))

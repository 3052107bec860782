"""workspace 2fa policy and aegis indexes

Workspace.requireTwoFactor (the OWNER's policy, off for existing workspaces) and the
indexes of the Aegis pages: the dashboard's untriaged-alert count and an incident's
alerts (Alert workspaceId, incidentId), the incidents list (Incident workspaceId,
createdAt).

Revision ID: b4d4f265aeda
Revises: cd9fc1cffae9
Create Date: 2026-12-01 15:52:31.152310
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4d4f265aeda"
down_revision: str | Sequence[str] | None = "cd9fc1cffae9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_Alert_workspaceId_incidentId"),
        "Alert",
        ["workspaceId", "incidentId"],
        unique=False,
    )
    op.create_index(
        op.f("ix_Incident_workspaceId_createdAt"),
        "Incident",
        ["workspaceId", "createdAt"],
        unique=False,
    )
    op.add_column(
        "Workspace",
        sa.Column(
            "requireTwoFactor", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("Workspace", "requireTwoFactor")
    op.drop_index(op.f("ix_Incident_workspaceId_createdAt"), table_name="Incident")
    op.drop_index(op.f("ix_Alert_workspaceId_incidentId"), table_name="Alert")

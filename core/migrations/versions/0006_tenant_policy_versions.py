"""Tenant policies set through the API, versioned.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_policy_versions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("policy", sa.JSON, nullable=False),
        sa.Column("display_name", sa.String(100), nullable=True),
        sa.Column("requests_per_minute", sa.Integer, nullable=True),
        sa.Column("created_by", sa.String(160), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "version"),
    )
    op.create_index(
        "ix_tenant_policy_versions_tenant_id", "tenant_policy_versions", ["tenant_id"]
    )


def downgrade() -> None:
    op.drop_table("tenant_policy_versions")

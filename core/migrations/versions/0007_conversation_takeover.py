"""Takeover of a conversation by a health manager, and the manager an alert is assigned to.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("taken_over_by", sa.String(128), nullable=True))
        batch.add_column(sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("assigned_to")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("taken_over_at")
        batch.drop_column("taken_over_by")

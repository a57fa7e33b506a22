"""Managers' labels on any answer (correct / unsafe / unsupported / unhelpful).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_labels",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "message_id", sa.String(32), sa.ForeignKey("messages.id"), nullable=False, unique=True
        ),
        sa.Column(
            "conversation_id", sa.String(32), sa.ForeignKey("conversations.id"), nullable=False
        ),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("correct_answer", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("labelled_by", sa.String(128), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answer_labels_conversation_id", "answer_labels", ["conversation_id"])
    op.create_index("ix_answer_labels_tenant_id", "answer_labels", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_answer_labels_tenant_id", table_name="answer_labels")
    op.drop_index("ix_answer_labels_conversation_id", table_name="answer_labels")
    op.drop_table("answer_labels")

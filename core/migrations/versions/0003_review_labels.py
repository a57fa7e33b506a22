"""Learning loop: review events (every revise/hold) and managers' root-cause labels.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column(
            "conversation_id", sa.String(32), sa.ForeignKey("conversations.id"), nullable=False
        ),
        sa.Column("message_id", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reason_codes", sa.JSON, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("user_text", sa.Text, nullable=False),
        sa.Column("evidence_ids", sa.JSON, nullable=False),
        sa.Column("tools", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("final_reply", sa.Text, nullable=True),
        sa.Column("review_item_id", sa.String(32), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_review_events_tenant_created", "review_events", ["tenant_id", "created_at"])
    op.create_index("ix_review_events_conversation_id", "review_events", ["conversation_id"])
    op.create_index("ix_review_events_message_id", "review_events", ["message_id"])
    op.create_index("ix_review_events_review_item_id", "review_events", ["review_item_id"])
    op.create_table(
        "review_labels",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "review_item_id",
            sa.String(32),
            sa.ForeignKey("review_items.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("root_cause", sa.String(16), nullable=False),
        sa.Column("correct_answer", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("labelled_by", sa.String(128), nullable=False),
        sa.Column("labelled_at", TS, nullable=False),
    )
    op.create_index("ix_review_labels_tenant_id", "review_labels", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("review_labels")
    op.drop_table("review_events")

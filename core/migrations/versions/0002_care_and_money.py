"""Care and money records: consents, payment plans, insurance quotes, referrals, readings,
alerts, care plans, tasks and task completions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _id() -> "sa.Column[Any]":
    return sa.Column("id", sa.String(32), primary_key=True)


def _tenant() -> "sa.Column[Any]":
    return sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id"), nullable=False)


def _patient(nullable: bool = False) -> "sa.Column[Any]":
    return sa.Column("patient_id", sa.String(32), sa.ForeignKey("patients.id"), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "consents",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )
    _indexes("consents", "tenant_id", "patient_id")
    op.create_index(
        "ix_consents_patient_purpose", "consents", ["patient_id", "purpose", "recorded_at"]
    )

    for table in ("payment_plans", "insurance_quotes"):
        extra = (
            [
                sa.Column("quote_ids", sa.JSON, nullable=False),
                sa.Column("valid_until", sa.Date, nullable=True),
            ]
            if table == "insurance_quotes"
            else []
        )
        op.create_table(
            table,
            _id(),
            _tenant(),
            _patient(nullable=True),
            sa.Column("conversation_id", sa.String(32), nullable=True),
            sa.Column("source", sa.String(16), nullable=False),
            sa.Column("catalogue_version", sa.Integer, nullable=False),
            *extra,
            sa.Column("request", sa.JSON, nullable=False),
            sa.Column("result", sa.JSON, nullable=False),
            sa.Column("created_at", TS, nullable=False),
        )
        _indexes(table, "tenant_id", "patient_id", "conversation_id")

    op.create_table(
        "referrals",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("conversation_id", sa.String(32), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("facility_id", sa.String(64), nullable=True),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    _indexes("referrals", "tenant_id", "patient_id", "conversation_id")

    op.create_table(
        "readings",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("conversation_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("source_device", sa.String(128), nullable=True),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("display", sa.JSON, nullable=False),
        sa.Column("raw_unit", sa.String(32), nullable=False),
        sa.Column("raw_values", sa.JSON, nullable=False),
        sa.Column("meal_context", sa.String(16), nullable=True),
        sa.Column("needs_remeasure", sa.Boolean, nullable=False),
        sa.Column("plausibility_reasons", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    _indexes("readings", "tenant_id", "patient_id")
    op.create_index("ix_readings_patient_measured", "readings", ["patient_id", "measured_at"])

    op.create_table(
        "alerts",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("reading_id", sa.String(32), sa.ForeignKey("readings.id"), nullable=True),
        sa.Column("rule_code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("dedupe_key", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("patient_message", sa.JSON, nullable=False),
        sa.Column("manager_message", sa.JSON, nullable=False),
        sa.Column("fact_ids", sa.JSON, nullable=False),
        sa.Column("rules_version", sa.Integer, nullable=False),
        sa.Column("acknowledged_by", sa.String(128), nullable=True),
        sa.Column("acknowledged_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    _indexes("alerts", "tenant_id", "patient_id", "dedupe_key")
    op.create_index("ix_alerts_tenant_status", "alerts", ["tenant_id", "status"])

    op.create_table(
        "care_plans",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("templates_version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    _indexes("care_plans", "tenant_id", "patient_id")

    op.create_table(
        "tasks",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("care_plan_id", sa.String(32), sa.ForeignKey("care_plans.id"), nullable=True),
        sa.Column("conversation_id", sa.String(32), nullable=True),
        sa.Column("task_type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("draft", sa.JSON, nullable=False),
        sa.Column("reminders_scheduled", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    _indexes("tasks", "tenant_id", "patient_id", "care_plan_id")

    op.create_table(
        "task_completions",
        _id(),
        _tenant(),
        _patient(),
        sa.Column("task_id", sa.String(32), sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("client_completion_id", sa.String(128), nullable=False),
        sa.Column("completed_at", TS, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("outcome", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("task_id", "client_completion_id", name="uq_completion_client_id"),
    )
    _indexes("task_completions", "tenant_id", "patient_id", "task_id")


def downgrade() -> None:
    for table in (
        "task_completions",
        "tasks",
        "care_plans",
        "alerts",
        "readings",
        "referrals",
        "insurance_quotes",
        "payment_plans",
        "consents",
    ):
        op.drop_table(table)

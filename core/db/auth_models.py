"""Principals' tables: tenant API keys and console accounts (managers, auditors).

A key's secret is never stored: only its SHA-256 (keys are 256-bit random, so a fast hash is
enough); a password is stored as an argon2 hash. Both are made in ``core.credentials``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, new_id, utcnow


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    """The public part of the key (``hm_<prefix>_...``), how a key is found without its secret."""
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    replaced_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class UserAccount(Base):
    """A console account of one tenant: ``manager`` (decides) or ``auditor`` (reads)."""

    __tablename__ = "user_accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TenantPolicyVersion(Base):
    """One version of a tenant's policy set through the API (append-only: a change is a new row).

    The newest version is in force; a tenant with none uses its shipped YAML (or the neutral
    policy)."""

    __tablename__ = "tenant_policy_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The guardrails' ``TenantPolicy`` (disclosure, tools, phrases, PII)."""
    display_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    """The brand the patient sees (else the tenant's name)."""
    requests_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The tenant's request quota (else ``HM_TENANT_RATE_LIMIT_PER_MINUTE``)."""
    created_by: Mapped[str | None] = mapped_column(String(160), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

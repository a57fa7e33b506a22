"""Durable records: SQLAlchemy 2 models, async engine/session factory."""

"""Deterministic output checks, one module per family; ``guardrails.output_checks`` runs them."""

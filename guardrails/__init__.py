"""Guardrails: input guards (PII, injection, red flags, consent), output checks, the reviewer."""

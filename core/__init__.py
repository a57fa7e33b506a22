"""Cross-cutting foundations: settings, errors, storage, Redis, shared schemas, text utilities.

`core` never imports `agent`, `api`, `tools`, `knowledge`, `guardrails` or `evals`.
"""

"""Service functions: one per use case; routes and CLI commands call these."""

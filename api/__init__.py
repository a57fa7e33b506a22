"""Interfaces: the FastAPI app (chat, tools, knowledge, manager console, tenants) and the CLI."""

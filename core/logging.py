"""Logging set-up: one line per event, PII-free by construction (callers log ids, not text)."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    for noisy in ("httpx", "chromadb", "jieba", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

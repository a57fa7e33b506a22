"""Fixed reply texts of the offline engine, in Chinese and English (templates.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from core.text import Language


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(Path(__file__).with_name("templates.yaml").read_text(encoding="utf-8"))
    table: dict[str, dict[str, str]] = raw["texts"]
    missing = [key for key, value in table.items() if set(value) != {"zh", "en"}]
    if missing:
        raise ValueError(f"templates.yaml: {missing} need both zh and en")
    return table


def t(key: str, language: Language, **values: object) -> str:
    text = texts()[key][language]
    return text.format(**values) if values else text

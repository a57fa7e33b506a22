"""The facts table: clinical thresholds with their sources, loaded from ``FACTS.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from core.errors import KnowledgeBaseError, NotFound

FACTS_PATH = Path(__file__).with_name("FACTS.yaml")


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    value: float
    unit: str
    meaning: str
    source: str
    section: str
    doc_ids: list[str] = []


class FactsTable(BaseModel):
    version: int
    facts: list[Fact]


@lru_cache(maxsize=1)
def load_facts(path: Path = FACTS_PATH) -> dict[str, Fact]:
    try:
        table = FactsTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(f"cannot read facts table {path}: {exc}") from exc
    facts: dict[str, Fact] = {}
    for fact in table.facts:
        if fact.id in facts:
            raise KnowledgeBaseError(f"duplicate fact id {fact.id!r} in {path}")
        facts[fact.id] = fact
    return facts


def get_fact(fact_id: str) -> Fact:
    try:
        return load_facts()[fact_id]
    except KeyError:
        raise NotFound(f"unknown fact {fact_id!r}") from None


def fact_value(fact_id: str) -> float:
    return get_fact(fact_id).value

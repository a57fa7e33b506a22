"""Answer cards: the questions patients actually ask, answered once, in our own words.

A card holds question variants (simplified Chinese, Cantonese/traditional, English), a concise
answer in zh and en written from the guideline documents it names (``doc_ids``: they are cited
with the answer, and every number in the answer appears in one of them), and the FACTS ids of
the thresholds it states. Cards live in ``knowledge/cards/*.yaml`` and are reviewed like the
corpus: a change to a card is a change to what patients are told.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import KnowledgeBaseError

CARDS_DIR = Path(__file__).with_name("cards")

Domain = Literal[
    "hypertension",
    "diabetes",
    "lipids",
    "weight",
    "diet",
    "exercise",
    "medication",
    "symptoms",
    "exam",
    "kidney",
    "gout",
    "sleep",
    "smoking",
    "mental_health",
    "insurance",
    "payment",
    "service",
    "prevention",
]
QuestionLanguage = Literal["zh", "yue", "en"]


class CardAnswer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    zh: str = Field(min_length=10, max_length=400)
    en: str = Field(min_length=20, max_length=700)


class AnswerCard(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    domain: Domain
    questions: dict[QuestionLanguage, list[str]]
    answer: CardAnswer
    doc_ids: list[str] = Field(min_length=1)
    """Corpus documents the answer is written from; they are cited with it."""
    facts: list[str] = []
    """FACTS ids of the thresholds the answer states."""

    @model_validator(mode="after")
    def _enough_variants(self) -> AnswerCard:
        if len(self.questions.get("zh", [])) < 2 or not self.questions.get("en"):
            raise ValueError(f"card {self.id}: needs ≥ 2 zh and ≥ 1 en question variants")
        return self

    def variants(self) -> list[str]:
        return [q for qs in self.questions.values() for q in qs]


class CardFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    cards: list[AnswerCard]


class CardBank(BaseModel):
    model_config = ConfigDict(frozen=True)
    versions: dict[str, int]
    """File name -> its version (the bank's provenance)."""
    cards: list[AnswerCard]

    def by_id(self) -> dict[str, AnswerCard]:
        return {card.id: card for card in self.cards}


@lru_cache(maxsize=2)
def load_cards(cards_dir: Path = CARDS_DIR) -> CardBank:
    versions: dict[str, int] = {}
    cards: list[AnswerCard] = []
    seen: set[str] = set()
    for path in sorted(cards_dir.glob("*.yaml")):
        try:
            parsed = CardFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise KnowledgeBaseError(f"cannot load answer cards {path.name}: {exc}") from exc
        versions[path.name] = parsed.version
        for card in parsed.cards:
            if card.id in seen:
                raise KnowledgeBaseError(f"duplicate answer card {card.id!r} in {path.name}")
            seen.add(card.id)
            cards.append(card)
    return CardBank(versions=versions, cards=cards)

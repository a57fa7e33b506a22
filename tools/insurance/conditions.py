"""Health-declaration vocabulary: condition codes, the words for them, genetic-test words."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ConfigurationError
from core.text import normalise

CONDITIONS_PATH = Path(__file__).with_name("conditions.yaml")


class ConditionEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label_zh: str
    label_en: str
    aliases: list[str]


class ConditionVocabulary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    conditions: list[ConditionEntry]
    none_aliases: list[str]
    genetic_terms: list[str]

    def codes(self) -> set[str]:
        return {entry.code for entry in self.conditions}

    def resolve(self, text: str) -> ConditionEntry | None:
        """The condition named by a code or one of its words (exact match after normalising)."""
        key = normalise(text).strip()
        for entry in self.conditions:
            if key == entry.code or key in {normalise(alias) for alias in entry.aliases}:
                return entry
        return None

    def means_none(self, text: str) -> bool:
        return normalise(text).strip() in {normalise(alias) for alias in self.none_aliases}

    def mentions_genetic(self, text: str) -> bool:
        folded = normalise(text)
        return any(normalise(term) in folded for term in self.genetic_terms)


@lru_cache(maxsize=1)
def load_condition_vocabulary(path: Path = CONDITIONS_PATH) -> ConditionVocabulary:
    try:
        return ConditionVocabulary.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"invalid condition vocabulary {path}: {exc}") from exc

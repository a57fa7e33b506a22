"""The red-flag exemplar bank: ``data/redflag_exemplars.yaml`` loaded into validated models.

Each category holds realistic patient messages (simplified, traditional, Cantonese, English)
that carry one red flag; the negative groups hold look-alikes that must not escalate
(information questions, past history, third-person education, mild versions). The semantic
layer (``tools.triage.semantic``) compares a message with every exemplar by embedding.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from core.errors import ConfigurationError
from core.text import normalise
from tools.triage.models import Level

DATA_DIR = Path(__file__).with_name("data")
BANK_PATH = DATA_DIR / "redflag_exemplars.yaml"
LANGUAGES = ("zh", "zh_hant", "yue", "en")

NEGATIVE = "negative"
"""The label every look-alike exemplar carries, whatever its group."""


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    level: Level
    source: str
    department: str = "emergency"
    exemplars: dict[str, list[str]]


class ExemplarBank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    categories: dict[str, Category]
    negatives: dict[str, dict[str, list[str]]]

    @model_validator(mode="after")
    def _languages_known(self) -> ExemplarBank:
        groups = [c.exemplars for c in self.categories.values()] + list(self.negatives.values())
        for group in groups:
            unknown = set(group) - set(LANGUAGES)
            if unknown:
                raise ValueError(f"unknown exemplar languages {sorted(unknown)}")
        return self

    def labelled(self) -> list[tuple[str, str, str]]:
        """(label, group, canonical text) for every exemplar; duplicates after normalising
        are kept once, the first label winning."""
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        sources = [(name, name, c.exemplars) for name, c in self.categories.items()]
        sources += [(NEGATIVE, group, texts) for group, texts in self.negatives.items()]
        for label, group, by_language in sources:
            for texts in by_language.values():
                for text in texts:
                    canonical = normalise(text)
                    if canonical and canonical not in seen:
                        seen.add(canonical)
                        rows.append((label, group, canonical))
        return rows


class NegativeSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    negatives: dict[str, dict[str, list[str]]]


@lru_cache(maxsize=2)
def load_bank(path: Path = BANK_PATH) -> ExemplarBank:
    """The bank, with the negative groups of every ``redflag_negatives_*.yaml`` beside it."""
    current = path
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for current in sorted(path.parent.glob("redflag_negatives_*.yaml")):
            extra = NegativeSet.model_validate(yaml.safe_load(current.read_text("utf-8")))
            raw["negatives"].update(extra.negatives)
        return ExemplarBank.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load the red-flag exemplars {current}: {exc}") from exc

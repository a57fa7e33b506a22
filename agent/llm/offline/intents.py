"""Intent classification over rules and labelled exemplars (see intents.yaml)."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, model_validator

DEFAULT_INTENT = "guideline_question"


IntentKind = Literal["fixed", "refuse", "refuse_with_education", "verify", "tool", "answer"]
"""How the engine handles an intent: a fixed text; a refusal (with guideline education after
it); a claim to verify; a tool call (its slots, or a clarifying question); an answer from the
guidelines (an answer card, else composed from passages)."""


class IntentDef(BaseModel):
    id: str
    kind: IntentKind | None = None
    """Defaults to ``tool`` when the intent names one, else ``answer``."""
    tool: str | None = None
    lead: str | None = None
    """A fixed text (templates.yaml) said before an ``answer``."""
    priority: int = 0
    """Above 0: a pattern hit decides outright (highest priority first), before any scoring."""
    patterns: list[str] = []
    exemplars: list[str] = []

    @model_validator(mode="after")
    def _kind(self) -> IntentDef:
        if self.kind is None:
            self.kind = "tool" if self.tool else "answer"
        if self.kind == "tool" and not self.tool:
            raise ValueError(f"intent {self.id}: kind tool needs a tool")
        return self


class IntentTable(BaseModel):
    version: int
    intents: list[IntentDef]


class Classification(BaseModel):
    intent: str
    score: float
    tool: str | None = None


def _bigrams(text: str) -> Counter[str]:
    text = re.sub(r"\s+", " ", text)
    return Counter(text[i : i + 2] for i in range(len(text) - 1)) or Counter([text])


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


class IntentClassifier:
    def __init__(self, table: IntentTable) -> None:
        self.table = table
        self._patterns = {i.id: [re.compile(p) for p in i.patterns] for i in table.intents}
        self._exemplars = {i.id: [_bigrams(e.lower()) for e in i.exemplars] for i in table.intents}
        self._tools = {i.id: i.tool for i in table.intents}
        self._kinds: dict[str, IntentKind] = {i.id: i.kind or "answer" for i in table.intents}
        self._leads = {i.id: i.lead for i in table.intents if i.lead}

    def classify(
        self, normalised_text: str, exclude: frozenset[str] = frozenset()
    ) -> Classification:
        """The intent of the text; ``exclude`` names intents that must not be chosen."""
        ranked = sorted(
            (i for i in self.table.intents if i.priority > 0 and i.id not in exclude),
            key=lambda i: -i.priority,
        )
        for intent in ranked:
            if any(p.search(normalised_text) for p in self._patterns[intent.id]):
                return Classification(
                    intent=intent.id, score=2.0 + intent.priority, tool=intent.tool
                )
        grams = _bigrams(normalised_text)
        best = Classification(intent=DEFAULT_INTENT, score=0.0, tool=None)
        for intent in self.table.intents:
            if intent.id in exclude:
                continue
            hits = sum(1 for p in self._patterns[intent.id] if p.search(normalised_text))
            similarity = max((_cosine(grams, e) for e in self._exemplars[intent.id]), default=0)
            score = 2.0 * hits + similarity
            if score > best.score:
                best = Classification(intent=intent.id, score=score, tool=intent.tool)
        if best.score < 0.5:
            return Classification(intent=DEFAULT_INTENT, score=best.score, tool=None)
        return best

    def tool_of(self, intent: str) -> str | None:
        return self._tools.get(intent)

    def kind_of(self, intent: str) -> IntentKind:
        return self._kinds.get(intent, "answer")

    def lead_of(self, intent: str) -> str | None:
        return self._leads.get(intent)


@lru_cache(maxsize=1)
def default_classifier() -> IntentClassifier:
    raw = yaml.safe_load(Path(__file__).with_name("intents.yaml").read_text(encoding="utf-8"))
    return IntentClassifier(IntentTable.model_validate(raw))

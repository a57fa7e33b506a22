"""Claim-level grounding, offline half: split a draft into claims and score each claim's lexical
support in the evidence. The reviewer combines this with embedding similarity.

Support is the share of the claim's features (Chinese character bigrams, English content words,
numbers) found in one evidence passage: the best passage, not the union, so a claim must be
backed by a single passage, as a citation would be.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel

from core.errors import ValidationFailed
from guardrails.data_files import load_data_file
from guardrails.textfold import fold

_SENTENCE = re.compile(r"[^。！？!?；;\n]+?(?:[。！？!?；;]+|\.(?=\s|$)|$)", re.MULTILINE)
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?")


class GroundingRules(BaseModel):
    version: int
    lexical_support_threshold: float
    min_claim_chars: int
    boilerplate: list[str]
    citation_marker: str
    english_stopwords: frozenset[str]
    chinese_stop_bigrams: frozenset[str]


class CalibrationExample(BaseModel):
    claim: str
    evidence: str
    supported: bool


class CalibrationSet(BaseModel):
    version: int
    examples: list[CalibrationExample]


class CalibrationResult(BaseModel):
    threshold: float
    accuracy: float
    examples: int


@lru_cache(maxsize=1)
def grounding_rules() -> GroundingRules:
    return load_data_file("grounding.yaml", GroundingRules)


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in grounding_rules().boilerplate))


def support_threshold() -> float:
    return grounding_rules().lexical_support_threshold


def strip_citations(text: str) -> str:
    return re.sub(grounding_rules().citation_marker, "", text, flags=re.IGNORECASE)


def split_claims(draft: str) -> list[str]:
    """Sentences of ``draft`` (zh and en) that state something: boilerplate, disclaimers,
    greetings, questions and fragments are dropped; citation markers are removed."""
    claims = []
    for match in _SENTENCE.finditer(strip_citations(draft)):
        sentence = re.sub(r"^\s*(?:[-*•]|\d+[.、)）](?!\d))\s*", "", match.group()).strip()
        folded = fold(sentence)
        content = re.sub(r"[\W_]", "", folded)
        if len(content) < grounding_rules().min_claim_chars:
            continue
        if folded.rstrip().endswith(("?", "？")) or _boilerplate().search(folded):
            continue
        claims.append(sentence)
    return claims


def _features(text: str) -> set[str]:
    rules = grounding_rules()
    features: set[str] = set()
    for token in _TOKEN.findall(fold(text)):
        if "\u4e00" <= token[0] <= "\u9fff":
            if len(token) == 1:
                features.add(token)
            features.update(
                bigram
                for bigram in (token[i : i + 2] for i in range(len(token) - 1))
                if bigram not in rules.chinese_stop_bigrams
            )
        elif token not in rules.english_stopwords:
            features.add(token[:-1] if len(token) > 3 and token.endswith("s") else token)
    return features


def lexical_support(claim: str, evidence_texts: Sequence[str]) -> float:
    """Best share (0..1) of the claim's features found in a single evidence passage."""
    wanted = _features(strip_citations(claim))
    if not wanted:
        return 0.0
    best = 0.0
    for evidence in evidence_texts:
        best = max(best, len(wanted & _features(evidence)) / len(wanted))
        if best == 1.0:
            break
    return round(best, 4)


def is_supported(claim: str, evidence_texts: Sequence[str]) -> bool:
    return lexical_support(claim, evidence_texts) >= support_threshold()


def load_calibration_set() -> CalibrationSet:
    return load_data_file("grounding_calibration.yaml", CalibrationSet)


def calibrate_threshold(examples: Sequence[CalibrationExample]) -> CalibrationResult:
    """The threshold with the best accuracy on labelled examples; among equally accurate ones,
    the midpoint of the widest gap between neighbouring scores. Rounded to 2 decimals."""
    if not examples:
        raise ValidationFailed(
            "calibration needs at least one labelled example",
            message_zh="校准至少需要一个带标注的样例",
            field="examples",
        )
    scored = [(lexical_support(e.claim, [e.evidence]), e.supported) for e in examples]
    points = sorted({0.0, *(score for score, _ in scored), 1.0})
    options: list[tuple[float, float, float]] = []
    for low, high in itertools.pairwise(points):
        threshold = (low + high) / 2
        correct = sum((score >= threshold) == label for score, label in scored)
        options.append((correct / len(scored), high - low, threshold))
    accuracy, _, threshold = max(options)
    return CalibrationResult(
        threshold=round(threshold, 2), accuracy=round(accuracy, 4), examples=len(scored)
    )

"""Prompt-injection and jailbreak detection on user text, uploaded reports and retrieved chunks.

Patterns are data (``data/injection_patterns.yaml``). Text is matched in canonical form (full
width, traditional characters and case folded), with separators squashed out so spaced-out or
dotted words ("忽 略 之 前", "i.g.n.o.r.e") still match, once more with leetspeak digits read as
letters, and inside any base64 blob that decodes to text.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from guardrails.data_files import load_data_file
from guardrails.textfold import canonical, fold

Source = Literal["user", "document", "retrieved"]
_ALL_SOURCES: list[Source] = ["user", "document", "retrieved"]

_SQUASH = re.compile(r"[\s\u200b-\u200f\u2060\ufeff.\-_*·•~^'\"`+]+")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_BASE64 = re.compile(r"[A-Za-z0-9+/]{20,}={0,2}")


class InjectionPattern(BaseModel):
    id: str
    category: str
    weight: float = Field(gt=0, le=1)
    regex: str
    sources: list[Source] = Field(default_factory=lambda: list(_ALL_SOURCES))
    spaced: bool = False


class InjectionRules(BaseModel):
    version: int
    thresholds: dict[Source, float]
    patterns: list[InjectionPattern]


class InjectionFinding(BaseModel):
    """A text judged to carry an injection: its score, what matched, and where it came from."""

    model_config = ConfigDict(frozen=True)

    score: float
    matched: list[str]
    """Pattern ids, e.g. ``override_zh``."""
    categories: list[str]
    source: Source
    obfuscated: bool = False
    """True when a pattern matched only after removing separators, reading leetspeak or
    decoding base64 (spaces alone between characters do not count)."""


CompiledPattern = tuple[InjectionPattern, re.Pattern[str]]


@lru_cache(maxsize=1)
def _rules() -> tuple[InjectionRules, list[CompiledPattern]]:
    rules = load_data_file("injection_patterns.yaml", InjectionRules)
    compiled = [
        (p, re.compile(p.regex if p.spaced else p.regex.replace(" ", ""))) for p in rules.patterns
    ]
    return rules, compiled


def _squash(normalised: str) -> str:
    return _SQUASH.sub("", normalised)


def _plain(normalised: str) -> str:
    """Only whitespace removed: a match here is not obfuscated."""
    return re.sub(r"\s+", "", normalised)


def _decoded_blobs(text: str) -> list[str]:
    blobs = []
    for match in _BASE64.finditer(text):
        chunk = match.group()
        try:
            decoded = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
            blobs.append(decoded.decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError):
            continue
    return [blob for blob in blobs if blob.isprintable()]


def _matches(text: str, source: Source) -> tuple[dict[str, InjectionPattern], bool]:
    """Pattern id -> pattern for each match, and whether any needed de-obfuscation."""
    _, compiled = _rules()
    normalised = canonical(text)
    squashed = _squash(normalised)
    plain = _plain(normalised)
    variants = [squashed]
    if re.search(r"[0-9@$]", squashed):
        variants.append(squashed.translate(_LEET))
    spaced = fold(text)
    hits: dict[str, InjectionPattern] = {}
    obfuscated = False
    for pattern, regex in compiled:
        if source not in pattern.sources:
            continue
        if pattern.spaced:
            if regex.search(spaced):
                hits[pattern.id] = pattern
            continue
        if any(regex.search(variant) for variant in variants):
            hits[pattern.id] = pattern
            obfuscated = obfuscated or not regex.search(plain)
    return hits, obfuscated


def detect_injection(text: str, source: Source = "user") -> InjectionFinding | None:
    """An ``InjectionFinding`` when the text's score reaches its source's threshold, else None.

    For ``document`` and ``retrieved`` text, imperatives addressed to the assistant also count
    (instructions inside data are data, never instructions).
    """
    if not text.strip():
        return None
    rules, _ = _rules()
    hits, obfuscated = _matches(text, source)
    for blob in _decoded_blobs(text):
        blob_hits, _ = _matches(blob, source)
        if blob_hits:
            obfuscated = True
            hits.update(blob_hits)
    if not hits:
        return None
    remaining = 1.0
    for pattern in hits.values():
        remaining *= 1 - pattern.weight
    score = round(1 - remaining, 4)
    if score < rules.thresholds[source]:
        return None
    return InjectionFinding(
        score=score,
        matched=sorted(hits),
        categories=sorted({pattern.category for pattern in hits.values()}),
        source=source,
        obfuscated=obfuscated,
    )

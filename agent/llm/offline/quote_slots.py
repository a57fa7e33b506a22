"""Slots for an insurance quote: sex, smoking, city tier and declared conditions.

Conditions come from the insurance tool's own health-declaration vocabulary
(tools/insurance/conditions.yaml), so the codes always match its underwriting rules. Genetic
test information is never extracted: it is not a rating input.
"""

from __future__ import annotations

import re
from typing import Any

from core.text import normalise
from tools.insurance.cities import city_tier_of
from tools.insurance.conditions import load_condition_vocabulary

DEFAULT_CITY_TIER = 2
"""Used when the patient names no city: the tier the sample products rate at the base rate."""

# The insured person first (a wife or husband named as the person to insure), then plain words.
_SEX = [
    (
        "female",
        r"老婆|妻子|媳妇|太太|爱人她|我妈|母亲|女儿|\bwife\b|\bmother\b|\bmum\b|\bmom\b|\bdaughter\b",
    ),
    ("male", r"老公|丈夫|先生(?!们)|我爸|父亲|儿子|\bhusband\b|\bfather\b|\bdad\b|\bson\b"),
    ("female", r"女士|女性|女的|(?<![儿])女(?![儿])|\bfemale\b|\bwoman\b|\blady\b|\bi'm a girl\b"),
    ("male", r"男士|男性|男的|男(?!朋友)|\bmale\b|\bman\b|\bguy\b"),
]
_NON_SMOKER = re.compile(
    r"不抽烟|不吸烟|没有?抽烟|没有?吸烟|戒烟了|non-?smoker|don't smoke|do not smoke"
)
_SMOKER = re.compile(r"抽烟|吸烟|烟民|\bsmoker\b|\bsmoke\b|\bsmoking\b")
_TIER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_TIER = re.compile(r"([一二三四五1-4])\s*线(城市)?|\b(first|second|third|fourth)[- ]tier\b")
_TIER_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_CONTROLLED = re.compile(
    r"控制得?(还行|还可以|不错|很好|挺好|良好|稳定)|控制(良好|稳定)|well[- ]controlled"
)
_NEGATED = re.compile(r"(没有|没|无|不是|no|not|without)\s*$")


def extract_sex(text: str) -> str | None:
    for sex, pattern in _SEX:
        if re.search(pattern, text):
            return sex
    return None


def extract_smoker(text: str) -> bool | None:
    if _NON_SMOKER.search(text):
        return False
    if _SMOKER.search(text):
        return True
    return None


def extract_city_tier(text: str) -> int | None:
    match = _TIER.search(text)
    if match:
        return _TIER_WORDS[match.group(1)] if match.group(1) else _TIER_EN[match.group(3)]
    return city_tier_of(text)


def extract_conditions(text: str) -> list[dict[str, Any]]:
    """Declared conditions as health-declaration answers; the longest word wins an overlap."""
    vocabulary = load_condition_vocabulary()
    spans: list[tuple[int, int, str]] = []
    for entry in vocabulary.conditions:
        for alias in entry.aliases:
            word = normalise(alias)
            pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            for match in re.finditer(pattern, text):
                if not _NEGATED.search(text[max(0, match.start() - 4) : match.start()]):
                    spans.append((match.start(), match.end(), entry.code))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    codes: list[str] = []
    end = -1
    for start, stop, code in spans:
        if start >= end and code not in codes:
            codes.append(code)
        end = max(end, stop)
    controlled = bool(_CONTROLLED.search(text))
    return [
        {"condition": code, "controlled": True} if controlled else {"condition": code}
        for code in codes
    ]

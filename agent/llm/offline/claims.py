"""Claims a patient asks us to confirm: the checkable terms they name, and whether any retrieved
passage states them.

Reports in the market quote invented regulations, statistics and products. When a patient asks
"is it true that 《X办法》 says ...", "据说 73.6% 的患者 ...", "does the GlucoShield patch ...", the
engine may confirm nothing that no retrieved passage states. The terms that make a claim
checkable are named documents (《…》), quoted names (“…”), document and article numbers, English
proper names, and, when the patient cites a source ("据说", "新闻", "survey"), the figures
(percentages, fractions, years, amounts) the claim rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.text import normalise

_NAMED = [
    re.compile(r"《([^》]{2,40})》"),
    re.compile(r"[“\"「]([^”\"」]{2,40})[”\"」]"),
    re.compile(r"(第[一二三四五六七八九十百\d]+[号条章款])"),
    re.compile(r"(〔\d{4}〕\d+号|\d{4}\s*年?第\s*\d+\s*号)"),
    re.compile(r"\b((?:section|article|art\.)\s*\d+)\b"),
]
# English proper names, read from the text as written (normalising lower-cases it):
# two or more capitalised words ("Digital Health Privacy Code") or a CamelCase word.
_PROPER = re.compile(r"\b[A-Z][A-Za-z0-9-]*(?:\s+[A-Z][A-Za-z0-9-]*)+|\b[A-Z][a-z]+[A-Z]\w*")
_SENTENCE_START = re.compile(r"(?:^|[.?!]\s+)$")
_QUESTION_WORDS = {"is", "does", "can", "could", "under", "i", "my", "what", "how", "should"}

_SOURCE_CITED = re.compile(
    r"据说|听说|网上|新闻|报道|报告|研究|统计|调查|数据|国家规定|规定|新规|新政|政策|条例|指南里说|"
    r"指南说|专家说|\bsurvey\b|\bstudy\b|\bstudies\b|\breport\b|\baccording to\b|\bstatistic|"
    r"\bresearch\b|\bis it true\b|\bthe law\b|\bact\b|\bcode\b"
)
_FIGURES = [
    re.compile(r"(\d+(?:\.\d+)?\s*%)"),
    re.compile(r"(百分之[一二三四五六七八九十百零点\d.]+)"),
    re.compile(r"([一二三四五六七八九十\d]+分之[一二三四五六七八九十\d]+)"),
    re.compile(r"((?:19|20)\d{2})\s*年?"),
    re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块|yuan)"),
    re.compile(r"(?<![\d.])(\d+\.\d+)(?![\d.])"),
]


def _proper_names(raw: str) -> list[str]:
    names = []
    for match in _PROPER.finditer(raw):
        words = match.group(0).split()
        if _SENTENCE_START.search(raw[: match.start()]) and words[0].lower() in _QUESTION_WORDS:
            words = words[1:]  # "Does GlucoShield ..." : the question word is no name
        if len(words) >= 2 or (words and re.search(r"[a-z][A-Z]", words[0])):
            names.append(" ".join(words))
    return names


def claim_terms(raw_text: str) -> list[str]:
    """The checkable terms of a claim (normalised), in order of appearance; empty when none."""
    text = normalise(raw_text)
    terms: list[str] = []
    for pattern in _NAMED:
        terms += [m.group(1).strip() for m in pattern.finditer(text)]
    terms += [normalise(name) for name in _proper_names(raw_text)]
    if _SOURCE_CITED.search(text):
        for pattern in _FIGURES:
            terms += [re.sub(r"\s+", "", m.group(1)) for m in pattern.finditer(text)]
    return list(dict.fromkeys(t for t in terms if t))


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text))


def verified_by(terms: list[str], passages: Iterable[str]) -> bool:
    """True when one passage states every term (no terms: nothing to verify)."""
    wanted = [re.sub(r"\s+", "", t) for t in terms]
    return any(all(w in folded for w in wanted) for folded in map(_folded, passages))

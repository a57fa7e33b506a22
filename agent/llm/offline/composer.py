"""Compose grounded answers from retrieved passages: pick the sentences that answer the question.

Every sentence in an answer is lifted from a passage (so every number in it is sourced) and
carries that passage's citation number.
"""

from __future__ import annotations

import itertools
import re

from agent.llm.base import EvidencePassage
from agent.llm.offline.templates import t
from core.text import Language, normalise

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?|[^\n]+")
_EN_BREAK = re.compile(r"(?<=[a-z0-9)%])\.\s+(?=[A-Z(])")
_MIN_SENTENCE_SCORE = 0.12
# When no sentence reaches the bar, the top-ranked passage (retrieval already judged it the
# most relevant) may still answer in other words ("隐形盐" vs "盐藏在调味品里"): its best
# sentence is used if it shares at least this much with the question.
_TOP_PASSAGE_FLOOR = 0.06
_STOP = set("的了吗呢吧啊是我你他她它们在有和与及或就都也要会能可以怎么什么多少如何一个")


_QUANTITY = re.compile(
    r"多少|几|多高|多低|标准|正常值|范围|目标|算|"
    r"how (much|many|often|long|high|low)|what (level|range|target)|normal|count as"
)
_ACTION_Q = re.compile(r"怎么办|怎么处理|怎么做|要不要|该不该|what (should|do) i do|what to do")
_ACTION = re.compile(r"立即|马上|尽快|拨打|就医|急诊|复测|吃|喝|call|go to|seek|eat|drink|check")
_DIGIT = re.compile(r"\d")


def _grams(text: str) -> set[str]:
    """Content characters, their bigrams, and English words: the features sentences share."""
    text = normalise(text)
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" and c not in _STOP]
    grams = {a + b for a, b in itertools.pairwise(chars)} | set(chars)
    words = {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text)} - _EN_STOP
    return grams | words


_EN_STOP = {
    "the",
    "and",
    "for",
    "are",
    "what",
    "how",
    "should",
    "can",
    "does",
    "with",
    "much",
    "many",
    "day",
    "per",
    "you",
    "your",
    "that",
    "this",
    "have",
    "has",
    "about",
    "which",
}


def sentences_of(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = _EN_BREAK.sub(".\n", "\n".join(lines))
    return [s.strip(" -*") for s in _SENTENCE.findall(joined) if len(s.strip()) > 6]


def score_sentence(query_grams: set[str], sentence: str) -> float:
    grams = _grams(sentence)
    if not grams or not query_grams:
        return 0.0
    return float(len(query_grams & grams) / (len(query_grams) ** 0.5 * len(grams) ** 0.5))


def select_support(
    query: str,
    passages: list[EvidencePassage],
    max_sentences: int = 3,
    avoid: re.Pattern[str] | None = None,
) -> list[tuple[str, int]]:
    """The best (sentence, ref) pairs, in passage order, at most two per passage.

    A question asking for a quantity ("多少", "how much") prefers sentences that state one.
    """
    query_grams = _grams(query)
    wants_number = bool(_QUANTITY.search(normalise(query)))
    wants_action = bool(_ACTION_Q.search(normalise(query)))
    scored: list[tuple[float, int, int, str, int]] = []
    for p_index, passage in enumerate(passages):
        for s_index, sentence in enumerate(sentences_of(passage.text)):
            if avoid is not None and avoid.search(sentence):
                continue
            # Earlier passages ranked higher by retrieval: a small prior keeps them first.
            overlap = score_sentence(query_grams, sentence)
            if overlap < _MIN_SENTENCE_SCORE:
                continue  # the bonuses below rank relevant sentences, never rescue others
            score = overlap + 0.03 * (len(passages) - p_index)
            if wants_number and _DIGIT.search(sentence):
                score += 0.15
            if wants_action and _ACTION.search(normalise(sentence)):
                score += 0.15
            scored.append((score, p_index, s_index, sentence, passage.ref))
    if not scored and passages and avoid is None:
        scored = _top_passage_fallback(query_grams, passages[0])
    scored.sort(key=lambda row: -row[0])
    chosen: list[tuple[float, int, int, str, int]] = []
    per_passage: dict[int, int] = {}
    seen: list[set[str]] = []
    for row in scored:
        if len(chosen) >= max_sentences:
            break
        grams = _grams(row[3])
        if per_passage.get(row[1], 0) >= 2 or any(_jaccard(grams, g) > 0.6 for g in seen):
            continue
        seen.append(grams)
        per_passage[row[1]] = per_passage.get(row[1], 0) + 1
        chosen.append(row)
    chosen.sort(key=lambda row: (row[1], row[2]))
    return [(row[3], row[4]) for row in chosen]


def _top_passage_fallback(
    query_grams: set[str], passage: EvidencePassage
) -> list[tuple[float, int, int, str, int]]:
    rows = [
        (score_sentence(query_grams, sentence), 0, s_index, sentence, passage.ref)
        for s_index, sentence in enumerate(sentences_of(passage.text))
    ]
    best = max(rows, default=None)
    return [best] if best is not None and best[0] >= _TOP_PASSAGE_FLOOR else []


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def compose_guideline_answer(
    query: str,
    passages: list[EvidencePassage],
    language: Language,
    avoid: re.Pattern[str] | None = None,
) -> tuple[str, list[int]]:
    """The lead, the supporting sentences with their citation numbers, the footer; and the refs.

    ``avoid``: sentences matching it are never used (a dose question gets no amounts).
    """
    support = select_support(query, passages, avoid=avoid)
    if not support:
        return t("no_evidence", language), []
    body = []
    for sentence, ref in support:
        sentence = sentence.rstrip("。；;.!！?？")
        body.append(f"{sentence}[{ref}]" + ("。" if language == "zh" else "."))
    joiner = "" if language == "zh" else " "
    refs = sorted({ref for _, ref in support})
    lead = t("guideline_lead", language)
    return f"{lead}{joiner.join(body)}\n\n{t('education_footer', language)}", refs

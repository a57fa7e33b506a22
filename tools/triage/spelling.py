"""Typo tolerance for English symptom words ("chest pian", "sweatting", "chst", "breth").

Patients type fast on phones. Before the rules run, an English word that is not itself a
keyword and lies one slip away from a keyword of ``rules.yaml`` (two neighbouring letters
swapped, or one letter missing or doubled/extra) is read as that keyword. Substitutions are
not corrected on purpose: they turn real words into symptoms ("gain" -> "pain", "rain" ->
"pain"). Words listed as protected are real words that must never be corrected ("paint").
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z]+")
_MIN_KEYWORD_FOR_INDEL = 5
"""Insertions and deletions only for keywords this long: short words have too many neighbours."""


def _one_slip(word: str, keyword: str) -> bool:
    """Adjacent transposition, one deletion or one insertion turns ``word`` into ``keyword``."""
    if word == keyword:
        return False
    if len(word) == len(keyword):
        diffs = [i for i, (a, b) in enumerate(zip(word, keyword, strict=True)) if a != b]
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == keyword[diffs[1]]
            and word[diffs[1]] == keyword[diffs[0]]
        )
    if len(keyword) < _MIN_KEYWORD_FOR_INDEL or abs(len(word) - len(keyword)) != 1:
        return False
    short, long = (word, keyword) if len(word) < len(keyword) else (keyword, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@lru_cache(maxsize=4096)
def _correct_word(word: str, keywords: tuple[str, ...], protected: frozenset[str]) -> str:
    if word in protected or word in keywords or len(word) < 4:
        return word
    for keyword in keywords:
        if _one_slip(word, keyword):
            return keyword
    return word


def correct_spelling(text: str, keywords: tuple[str, ...], protected: frozenset[str]) -> str:
    """``text`` (normalised, lower-case) with near-miss English keywords spelt correctly."""
    return _WORD.sub(lambda m: _correct_word(m.group(0), keywords, protected), text)

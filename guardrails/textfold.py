"""Length-preserving normalisation, so that matches map back to offsets in the original text.

``core.text.normalise`` may change the length of a text (Cantonese words, collapsed spaces);
detectors that report spans work on this fold instead: per-character NFKC (full-width to
half-width) where it yields one character, lower-case, and traditional to simplified when the
conversion keeps the length.

Traditional-to-simplified conversion (OpenCC, pure Python) costs about 7 µs a character, which
would dominate the guards' budget on long texts; it only runs when the text holds a character
that OpenCC would change (or a Cantonese one), found with a set lookup.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from core.text import normalise, to_simplified, traditional_chars

# Cantonese characters and all-simplified Cantonese words core.text.normalise rewrites.
_CANTONESE_CHARS = frozenset("嘅咗冇啲佢哋嘢喺睇攞咩乜唔係系瞓嚟啱琴尋點樣咁")
_CANTONESE_WORDS = ("而家", "好痛", "成日")


def needs_conversion(text: str) -> bool:
    """True when the text holds traditional or Cantonese characters (ASCII never does)."""
    if text.isascii():
        return False
    convertible = traditional_chars()
    if convertible is None:
        return True
    if any(word in text for word in _CANTONESE_WORDS):
        return True
    return any(char in convertible or char in _CANTONESE_CHARS for char in text)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        return char
    lowered = folded.lower()
    return lowered if len(lowered) == 1 else folded


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Same length as ``text``; character i of the result stands for character i of the input.

    Cached: one turn folds the same draft, evidence and user text in several checks.
    """
    if text.isascii():
        return text.lower()
    folded = "".join(_fold_char(char) for char in text)
    if not needs_conversion(folded):
        return folded
    simplified = to_simplified(folded)
    return simplified if len(simplified) == len(folded) else folded


def canonical(text: str) -> str:
    """``core.text.normalise(text)``, skipping its OpenCC pass when nothing would convert."""
    if needs_conversion(text):
        return normalise(text)
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())

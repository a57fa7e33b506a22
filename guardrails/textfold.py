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

import re
import unicodedata
from functools import lru_cache

from core.text import cantonese_words, normalise, to_simplified, traditional_chars


@lru_cache(maxsize=1)
def _markers() -> tuple[frozenset[str], re.Pattern[str] | None] | None:
    """What betrays a text that ``core.text.normalise`` would rewrite beyond width, case and
    spaces: a character OpenCC converts or a single-character Cantonese entry, and (a pattern
    of) the multi-character Cantonese entries that hold neither. The entries come from the one
    lexicon, ``core/data/cantonese.yaml``. None when OpenCC's table cannot be read."""
    convertible = traditional_chars()
    if convertible is None:
        return None
    plain = [source for source, _ in cantonese_words() if not set(source) & convertible]
    chars = frozenset(source for source in plain if len(source) == 1)
    words = [w for w in plain if len(w) > 1 and not set(w) & chars]
    pattern = re.compile("|".join(map(re.escape, words))) if words else None
    return convertible | chars, pattern


def needs_conversion(text: str) -> bool:
    """True when the text holds traditional characters or a Cantonese lexicon entry (ASCII
    never does)."""
    if text.isascii():
        return False
    markers = _markers()
    if markers is None:
        return True
    chars, words = markers
    return not chars.isdisjoint(text) or (words is not None and words.search(text) is not None)


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

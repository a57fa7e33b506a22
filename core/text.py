"""Text normalisation shared by retrieval, triage and guards.

Patients write in simplified or traditional characters, full-width digits and punctuation,
and Cantonese phrasing. Matching code works on one canonical form: NFKC (full-width to
half-width), traditional to simplified, common Cantonese words to Mandarin, lower-cased Latin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

Language = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

CANTONESE_PATH = Path(__file__).with_name("data") / "cantonese.yaml"


@lru_cache(maxsize=1)
def cantonese_words() -> tuple[tuple[str, str], ...]:
    """The Cantonese → Mandarin lexicon (``data/cantonese.yaml``), longest entries first."""
    import yaml

    raw = yaml.safe_load(CANTONESE_PATH.read_text(encoding="utf-8"))
    pairs = [(str(k), str(v)) for k, v in raw["words"].items()]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC  # opencc-python-reimplemented

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str] | None:
    """Characters OpenCC's traditional-to-simplified table changes; None if unreadable."""
    try:
        import opencc

        table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        chars = set()
        for line in table.read_text(encoding="utf-8").splitlines():
            source, _, targets = line.partition("\t")
            if source and targets and targets.split(" ")[0] != source:
                chars.add(source)
        return frozenset(chars)
    except (ImportError, OSError):
        return None


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified.

    OpenCC (pure Python) costs about 7 µs a character, so it only runs when the text holds a
    character it would change — a set lookup per character.
    """
    if not _CJK.search(text):
        return text
    convertible = traditional_chars()
    if convertible is not None and not any(char in convertible for char in text):
        return text
    return str(_t2s().convert(text))


def normalise(text: str) -> str:
    """Canonical form for matching: NFKC, simplified, Cantonese to Mandarin, lower-case Latin,
    collapsed whitespace. Never use the result for display."""
    text = unicodedata.normalize("NFKC", text)
    for source, target in cantonese_words():
        if source in text:
            text = text.replace(source, target)
    text = to_simplified(text)
    text = text.lower()
    return re.sub(r"\s+", " ", text).strip()


def detect_language(text: str) -> Language:
    """'zh' when the text holds a meaningful share of CJK characters, else 'en'; a message with
    no letters at all (emoji, digits, punctuation) gets the service's first language, Chinese."""
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]", text))  # and full-width
    if cjk == 0:
        return "en" if latin else "zh"
    return "zh" if cjk * 3 >= latin or cjk >= 4 else "en"


def states_number(text: str, number: str) -> bool:
    """``number`` appears in ``text`` as a whole figure: "5" is in "不超过5 g", not in "15 g"
    or "2.5"."""
    digits = "一二两三四五六七八九十百千"
    return (
        re.search(rf"(?<![\d.{digits}]){re.escape(number)}(?![\d{digits}]|\.\d)", text) is not None
    )

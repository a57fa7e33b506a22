"""Answers from curated answer cards: the card's text with its citation markers."""

from __future__ import annotations

import re
from typing import Any

from agent.llm.base import MatchedCard
from agent.llm.offline.templates import t
from core.text import Language
from tools.catalog import RECORD_READING

# What is left of a message once its readings are taken out, if it still asks something.
_READING_VALUE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:/|over|-|比)\s*\d+|\d+(?:\.\d+)?\s*(?:mmol/l|mg/dl|mmhg|%|kg|公斤|斤)?",
    re.IGNORECASE,
)
_STILL_ASKS = re.compile(
    r"注意什么|怎么办|怎么(吃|做|控制|降)|吃什么|能不能|可以.{0,8}吗|要不要|需要.{0,6}吗|是不是|"
    r"糖尿病吗|高血压吗|什么意思|为什么|\b(what should|what can|should i|can i|how do|how can|"
    r"what does|is (this|it) (diabetes|high blood pressure))\b",
    re.IGNORECASE,
)


def card_answer(
    card: MatchedCard, language: Language, *, footer: bool = True
) -> tuple[str, list[int]]:
    """The card's answer with its citation markers (and the education footer)."""
    markers = "".join(f"[{ref}]" for ref in card.refs)
    text = card.answer.rstrip()
    stop = text[-1] if text and text[-1] in "。.！!" else ""
    body = f"{text.removesuffix(stop)}{markers}{stop or ('。' if language == 'zh' else '.')}"
    if footer:
        body = f"{body}\n\n{t('education_footer', language)}"
    return body, list(card.refs)


def asks_more_than_a_reading(message: str, results: list[tuple[str, dict[str, Any]]]) -> bool:
    """A reading came with a question the interpretation alone does not answer."""
    if not any(name == RECORD_READING for name, _ in results):
        return False
    rest = _READING_VALUE.sub(" ", message)
    return bool(_STILL_ASKS.search(rest))

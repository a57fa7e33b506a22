"""UNSOURCED_NUMBER: every figure in a draft must appear in the evidence, a tool result or the
patient's own message.

Figures are compared as values: 0.6 ≡ 60%, 100000 ≡ 10万 ≡ 100,000, and a figure shown rounded
(to at most 2 decimals, in its own unit) matches the unrounded source (3.59% ≡ 0.035912).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from pydantic import BaseModel

from guardrails.data_files import load_data_file
from guardrails.textfold import fold


class NumberRules(BaseModel):
    version: int
    emergency_numbers: list[int]
    emergency_cues: str
    naming_patterns: list[str]
    chinese_numeral_idioms: list[str]
    min_significant_digits_for_rounding: int
    max_rounding_decimals: int


@lru_cache(maxsize=1)
def number_rules() -> NumberRules:
    return load_data_file("number_rules.yaml", NumberRules)


class NumberMention(NamedTuple):
    """A figure as written: ``mantissa`` in the unit shown, scaled by ``multiplier``."""

    mantissa: float
    decimals: int
    multiplier: float
    percent: bool
    start: int
    end: int

    @property
    def value(self) -> float:
        return self.mantissa * self.multiplier


_MAGNITUDES = {
    "万亿": 1e12,
    "亿": 1e8,
    "万": 1e4,
    "千": 1e3,
    "百万": 1e6,
    "k": 1e3,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
}
_ARABIC = re.compile(
    r"(?<![a-z\d.])(?<![a-z]-)(?P<pre>百分之\s*)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:\s*(?P<mag>万亿|百万|亿|万|千|thousand\b|million\b|billion\b|k\b))?(?P<pct>\s*[%‰])?"
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE = re.compile(
    r"(?P<pre>百分之)?(?P<num>(?=[一二两三四五六七八九十零〇百千万亿]*[十百千万亿])"
    r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]+)"
)


def chinese_numeral_value(numeral: str) -> float:
    """Value of a numeral such as 十万, 三千五百, 二十, 三亿五千万."""
    for big, scale in (("亿", 1e8), ("万", 1e4)):
        if big in numeral:
            high, low = numeral.split(big, 1)
            return (chinese_numeral_value(high) if high else 1.0) * scale + (
                chinese_numeral_value(low) if low else 0.0
            )
    total, digit = 0.0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
    return total + digit


def _inside_idiom(folded: str, start: int, end: int) -> bool:
    for idiom in number_rules().chinese_numeral_idioms:
        found = folded.find(idiom, max(0, start - len(idiom)), end + len(idiom))
        if found != -1 and found < end and found + len(idiom) > start:
            return True
    return False


def find_numbers(text: str) -> Iterator[NumberMention]:
    """Every figure in ``text`` (already folded or not), with its offsets."""
    folded = fold(text)
    for match in _ARABIC.finditer(folded):
        frac = match.group("frac") or ""
        mantissa = float(match.group("int").replace(",", "") + frac)
        mag = _MAGNITUDES.get((match.group("mag") or "").strip(), 1.0)
        percent = bool(match.group("pre") or match.group("pct"))
        yield NumberMention(
            mantissa, max(len(frac) - 1, 0), mag, percent, match.start(), match.end()
        )
    for match in _CHINESE.finditer(folded):
        numeral = match.group("num")
        if _inside_idiom(folded, match.start("num"), match.end()):
            continue
        yield NumberMention(
            chinese_numeral_value(numeral),
            0,
            1.0,
            bool(match.group("pre")),
            match.start(),
            match.end(),
        )


def source_values(texts: Iterable[str], tool_results: Iterable[Any]) -> list[float]:
    """Values any draft figure may match: evidence and patient figures, tool-result numbers.

    A percent in text also stands as a fraction (60% -> 0.6); a tool number in (0, 1] also
    stands as a percent (0.6 -> 60), since tools return rates as fractions.
    """
    values: list[float] = []
    for text in texts:
        for mention in find_numbers(text):
            values.append(mention.value)
            if mention.percent:
                values.append(mention.value / 100)
    for number in _walk(list(tool_results)):
        values.append(number)
        if 0 < abs(number) <= 1:
            values.append(number * 100)
    return values


def _walk(node: Any) -> Iterator[float]:
    if isinstance(node, bool) or node is None:
        return
    if isinstance(node, int | float):
        yield abs(float(node))
    elif isinstance(node, str):
        yield from (mention.value for mention in find_numbers(node))
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | set):
        for item in node:
            yield from _walk(item)


def _significant_digits(mantissa: float, decimals: int) -> int:
    digits = f"{mantissa:.{decimals}f}".replace(".", "").lstrip("0")
    return len(digits)


def is_sourced(mention: NumberMention, values: list[float]) -> bool:
    rules = number_rules()
    target = mention.value
    if any(abs(value - target) <= 1e-9 * max(1.0, abs(target)) for value in values):
        return True
    if (
        mention.decimals > rules.max_rounding_decimals
        or _significant_digits(mention.mantissa, mention.decimals)
        < rules.min_significant_digits_for_rounding
    ):
        return False
    return any(
        round(value / mention.multiplier, mention.decimals)
        == round(mention.mantissa, mention.decimals)
        for value in values
    )


def _ignored_ranges(folded: str) -> list[tuple[int, int]]:
    """List markers at line starts, citation markers, naming numbers ("2型")."""
    ranges = [
        m.span()
        for m in re.finditer(r"(?m)^\s*(?:#+\s*)?(?:\d+(?:[.、)）](?!\d))|[(（]\d+[)）])", folded)
    ]
    ranges += [m.span() for m in re.finditer(r"\[[^\[\]\n]{1,60}\]|【[^【】\n]{1,60}】", folded)]
    for pattern in number_rules().naming_patterns:
        ranges += [m.span() for m in re.finditer(pattern, folded)]
    return ranges


def _is_emergency_number(folded: str, mention: NumberMention) -> bool:
    rules = number_rules()
    if mention.value not in rules.emergency_numbers or mention.decimals or mention.percent:
        return False
    around = folded[max(0, mention.start - 8) : mention.end + 4]
    if re.search(r"\d\s*/|/\s*\d", folded[max(0, mention.start - 2) : mention.end + 2]):
        return False
    return bool(re.search(rules.emergency_cues, around))


def unsourced_numbers(
    draft: str,
    *,
    evidence_texts: list[str],
    tool_results: list[Any],
    user_text: str = "",
    skip_spans: list[tuple[int, int]] | None = None,
) -> list[NumberMention]:
    """Figures in ``draft`` with no match in the evidence, tool results or the patient's text.

    ``skip_spans``: draft ranges another check owns (PII values such as phone numbers).
    """
    folded = fold(draft)
    ignored = _ignored_ranges(folded) + list(skip_spans or [])
    values = source_values([*evidence_texts, user_text], tool_results)
    missing = []
    for mention in find_numbers(draft):
        if any(start <= mention.start and mention.end <= end for start, end in ignored):
            continue
        if _is_emergency_number(folded, mention) or is_sourced(mention, values):
            continue
        missing.append(mention)
    return missing

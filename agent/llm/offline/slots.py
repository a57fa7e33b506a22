"""Slot extraction for tool calls: each extractor reads the normalised patient text."""

from __future__ import annotations

import re
from typing import Any

from agent.llm.offline.numbers import CN_NUMBER, MULTIPLIER, NUMBER, to_number

Slots = dict[str, Any]

_MONEY = rf"({NUMBER}|{CN_NUMBER})\s*({MULTIPLIER})\s*(?:元|块|yuan|rmb)?"
_TOTAL = [
    re.compile(
        rf"(?:总共|一共|总费用|费用|花费|要花|需要|大概|共|治疗费|手术费|疗程)[^0-9零一二两三四五六七八九十]{{0,6}}{_MONEY}"
    ),
    re.compile(rf"{_MONEY}\s*(?:的)?(?:费用|医药费|治疗费|手术费|疗程|的账单)"),
    re.compile(rf"(?:cost|costs|bill|total|treatment)\D{{0,20}}?(?:¥|\$|rmb|yuan)?\s*{_MONEY}"),
    re.compile(rf"(?:¥|\$|rmb)\s*{_MONEY}"),
]
_INCOME = [
    re.compile(
        rf"(?:月收入|月薪|工资|每月收入|每个月收入|一个月收入|收入|每月挣|每个月挣|一个月挣|月入)[^0-9零一二两三四五六七八九十]{{0,4}}{_MONEY}"
    ),
    re.compile(rf"(?:income|earn|salary|make)\D{{0,20}}?{_MONEY}"),
]
_DEBT = [
    re.compile(
        rf"(?:已有|现有|每月还|每个月还|房贷|车贷|月供|负债)[^0-9零一二两三四五六七八九十]{{0,6}}{_MONEY}"
    ),
    re.compile(rf"(?:existing|current|already pay|debt|mortgage)\D{{0,20}}?{_MONEY}"),
]
_COVERED = [
    re.compile(
        rf"(?:报销了|报了|(?:医保|保险)(?:报销|报|付|出|赔)了)[^0-9零一二两三四五六七八九十]{{0,4}}"
        rf"{_MONEY}(?!\s*(?:成|%|％|percent))"
    ),
    re.compile(rf"(?:insurance|insurer) (?:paid|covered)\D{{0,12}}{_MONEY}(?!\s*(?:%|percent))"),
]
_RATIO = [
    re.compile(
        rf"(?:医保|报销|insurance|cover|covers|reimburse)\D{{0,12}}?({NUMBER})\s*(?:%|％|percent)"
    ),
    re.compile(rf"({NUMBER})\s*(?:%|％)\s*(?:报销|由医保|医保|covered)"),
    re.compile(r"(?:医保|报销)\D{0,6}?([一二三四五六七八九])成"),
]
_TERM = [
    # "一个月收入" is no term: months count only after 分/over/for, or as digits ("12 months").
    re.compile(rf"({NUMBER}|{CN_NUMBER})\s*期"),
    re.compile(rf"(?:分|分成|分为|over|for|in)\s*({NUMBER}|{CN_NUMBER})\s*(?:个月|months?)"),
    re.compile(r"(?<![\d.,])(\d{1,2})[- ]?months?\b"),
    re.compile(rf"(?:分|over|for)\s*({NUMBER}|{CN_NUMBER})\s*(?:年|years?)"),
]
_AGE = [
    re.compile(rf"({NUMBER}|{CN_NUMBER})\s*(?:岁|周岁|years? old|yo\b|y/o)"),
    re.compile(rf"(?:年龄|今年|aged?|age)\s*[:：]?\s*({NUMBER}|{CN_NUMBER})"),
]
_BP = re.compile(r"(?<!\d)(\d{2,3})\s*/\s*(\d{2,3})(?!\d)")


def _first_money(patterns: list[re.Pattern[str]], text: str) -> float | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            value = to_number(match.group(1), match.group(2))
            if value is not None:
                return value
    return None


_ANY_MONEY = re.compile(
    rf"(?:(?:¥|\$|rmb)\s*)?{_MONEY}(?!\s*(?:%|％|期|个月|月|岁|年|months?|years?|percent|/))"
)


def _largest_unclaimed_amount(text: str, claimed: set[float]) -> float | None:
    """Fallback for "透析，10万元": the largest amount not already taken as income or debt."""
    best: float | None = None
    for match in _ANY_MONEY.finditer(text):
        if not (match.group(2) or re.search(r"元|块|yuan|rmb|¥|\$", match.group(0))):
            continue
        value = to_number(match.group(1), match.group(2))
        if value is not None and value not in claimed and (best is None or value > best):
            best = value
    return best


def extract_payment_slots(text: str) -> Slots:
    slots: Slots = {}
    total = _first_money(_TOTAL, text)
    if (income := _first_money(_INCOME, text)) is not None:
        slots["monthly_income"] = income
    if (debt := _first_money(_DEBT, text)) is not None:
        slots["existing_monthly_debt"] = debt
    if (covered := _first_money(_COVERED, text)) is not None:
        slots["insurance_coverage_amount"] = covered
    if total is None:
        claimed = {
            slots.get("monthly_income"),
            slots.get("existing_monthly_debt"),
            slots.get("insurance_coverage_amount"),
        } - {None}
        total = _largest_unclaimed_amount(text, claimed)  # type: ignore[arg-type]
    if total is not None:
        slots["total_cost"] = total
    for pattern in _RATIO:
        match = pattern.search(text)
        if match:
            raw = match.group(1)
            tenths = "一二三四五六七八九".find(raw)
            slots["insurance_coverage_ratio"] = (
                (tenths + 1) / 10 if tenths >= 0 else float(raw) / 100
            )
            break
    for index, pattern in enumerate(_TERM):
        match = pattern.search(text)
        if match:
            value = to_number(match.group(1))
            if value is not None:
                slots["term_months"] = int(value * (12 if index == 3 else 1))
            break
    return slots


def extract_terms(text: str) -> list[int]:
    """Every term named ("12期和24期各多少" -> [12, 24]), in order, each once."""
    found: list[tuple[int, int]] = []
    for index, pattern in enumerate(_TERM):
        for match in pattern.finditer(text):
            value = to_number(match.group(1))
            if value is not None:
                found.append((match.start(), int(value * (12 if index == 3 else 1))))
    return list(dict.fromkeys(months for _, months in sorted(found)))


def extract_age(text: str) -> int | None:
    for pattern in _AGE:
        match = pattern.search(text)
        if match:
            value = to_number(match.group(1))
            if value is not None and 0 <= value <= 120:
                return int(value)
    return None


def extract_bp(text: str) -> tuple[int, int] | None:
    match = _BP.search(text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def bare_amount(text: str) -> float | None:
    """A reply that is just an amount ("5000", "五千块") answers the pending question."""
    match = re.fullmatch(
        rf"\s*(?:大概|差不多|about|around)?\s*{_MONEY}\s*(?:左右)?[。.!！]?\s*", text
    )
    if not match:
        return None
    return to_number(match.group(1), match.group(2))

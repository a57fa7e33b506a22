"""Regex detectors and validators behind ``guardrails.pii``; each yields (kind, start, end).

All detectors read the length-preserving fold of the text (``guardrails.textfold``), so offsets
are offsets in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from pydantic import BaseModel

from guardrails.data_files import load_data_file

Candidate = tuple[str, int, int]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"


class Placeholder(BaseModel):
    zh: str
    en: str


class PiiRules(BaseModel):
    version: int
    placeholders: dict[str, Placeholder]
    labels: dict[str, list[str]]
    not_personal_labels: list[str]
    name_triggers_strong: list[str]
    name_triggers_weak: list[str]
    relative_triggers: list[str]
    surnames_single: str
    surnames_compound: list[str]
    not_in_given_name: str
    after_name_ok: str
    after_weak_name_ok: str
    not_names: list[str]


@lru_cache(maxsize=1)
def pii_rules() -> PiiRules:
    return load_data_file("pii.yaml", PiiRules)


def valid_id18(digits: str) -> bool:
    """GB 11643: 17 digits weighted mod 11 give the check character; the birth date is real."""
    digits = digits.lower()
    if not re.fullmatch(r"\d{17}[\dx]", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17] and _real_date(digits[6:14])


def valid_id15(digits: str) -> bool:
    """Old 15-digit format: 6-digit region, YYMMDD birth date (19YY), 3-digit sequence."""
    return bool(re.fullmatch(r"[1-9]\d{14}", digits)) and _real_date("19" + digits[6:12])


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _real_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_ID18 = re.compile(r"(?<![0-9a-z])[1-9]\d{5}[ -]?(?:18|19|20)\d{6}[ -]?\d{3}[0-9x](?![0-9a-z])")
_ID15 = re.compile(r"(?<![0-9a-z.])[1-9]\d{14}(?![0-9a-z.])")
_MOBILE = re.compile(r"(?<![0-9a-z.+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9a-z.])")
_LANDLINE = re.compile(
    r"(?<![0-9a-z./+-])"
    r"(?:(?:\+|00)86[ -]?(?:\(0?\d{2,3}\)|0?\d{2,3})[ -]?|\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]?)"
    r"[2-9]\d{2,3}[ -]?\d{4}(?:[ -]?(?:转|ext\.?|x)[ -]?\d{1,5})?(?![0-9a-z./-])"
)
_CARD = re.compile(r"(?<![0-9a-z])(?<!\d[.,])\d(?:[ -]?\d){12,18}(?![0-9a-z]|[.,]\d)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _not_personal(folded: str, start: int) -> bool:
    window = folded[max(0, start - 12) : start]
    return any(label in window for label in pii_rules().not_personal_labels)


def find_emails(folded: str) -> Iterator[Candidate]:
    for match in _EMAIL.finditer(folded):
        yield "EMAIL", match.start(), match.end()


def find_labelled(folded: str) -> Iterator[Candidate]:
    for kind, labels in pii_rules().labels.items():
        alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
        pattern = (
            rf"(?:{alternatives})\s*(?:是|为|:|：|#|no\.?|is|number|号码)?\s*"
            r"([a-z0-9][a-z0-9-]{3,23})"
        )
        for match in re.finditer(pattern, folded):
            if sum(char.isdigit() for char in match.group(1)) >= 4:
                yield kind, match.start(1), match.end(1)


def find_ids(folded: str) -> Iterator[Candidate]:
    """Shaped like a resident ID (region, a 19xx/20xx birth date, sequence, check character):
    redacted whether or not the check character is right (a mistyped ID is still an ID)."""
    for match in _ID18.finditer(folded):
        if valid_id18(re.sub(r"[ -]", "", match.group())) or not _not_personal(
            folded, match.start()
        ):
            yield "ID_NUMBER", match.start(), match.end()
    for match in _ID15.finditer(folded):
        if valid_id15(match.group()) and not _not_personal(folded, match.start()):
            yield "ID_NUMBER", match.start(), match.end()


def find_phones(folded: str) -> Iterator[Candidate]:
    for match in _MOBILE.finditer(folded):
        if not _not_personal(folded, match.start()):
            yield "MOBILE", match.start(), match.end()
    for match in _LANDLINE.finditer(folded):
        digits = _digits(match.group())
        if 10 <= len(digits) <= 18 and not _not_personal(folded, match.start()):
            yield "LANDLINE", match.start(), match.end()


def find_cards(folded: str) -> Iterator[Candidate]:
    for match in _CARD.finditer(folded):
        digits = _digits(match.group())
        # Luhn is not required: a card number with a typo still identifies the card holder.
        if (
            13 <= len(digits) <= 19
            and len(set(digits)) > 2
            and not _not_personal(folded, match.start())
        ):
            yield "BANK_CARD", match.start(), match.end()

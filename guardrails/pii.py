"""PII detection and redaction for Chinese and English patient text.

Redacted before the model sees a message and before any log line. Kinds: resident ID numbers
(18-digit with the GB 11643 checksum, 15-digit with a real birth date), mobile and landline
numbers, bank cards (Luhn), email, labelled social-insurance and medical-record numbers, names
after a self-introduction, street addresses. Blood pressure ("140/90"), glucose values, dates,
money and ages are never flagged: every numeric detector needs 10+ digits, a checksum or a label.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.text import Language, detect_language
from guardrails.pii_detectors import (
    Candidate,
    find_cards,
    find_emails,
    find_ids,
    find_labelled,
    find_phones,
    pii_rules,
)
from guardrails.pii_people import find_addresses, find_en_names, find_zh_names
from guardrails.textfold import fold


class PiiKind(StrEnum):
    ID_NUMBER = "ID_NUMBER"
    MOBILE = "MOBILE"
    LANDLINE = "LANDLINE"
    BANK_CARD = "BANK_CARD"
    EMAIL = "EMAIL"
    INSURANCE_CARD = "INSURANCE_CARD"
    MEDICAL_RECORD = "MEDICAL_RECORD"
    NAME = "NAME"
    ADDRESS = "ADDRESS"


class PiiSpan(BaseModel):
    """One detected value; ``start``/``end`` index the original text."""

    model_config = ConfigDict(frozen=True)

    kind: PiiKind
    start: int
    end: int
    value: str


class Redaction(BaseModel):
    """The text with every non-kept span replaced by a typed placeholder, and those spans."""

    model_config = ConfigDict(frozen=True)

    text: str
    spans: list[PiiSpan]


def _candidates(text: str, folded: str) -> Iterable[Candidate]:
    """In priority order: an earlier detector wins an overlap (an ID number is not a card)."""
    yield from find_emails(folded)
    yield from find_labelled(folded)
    yield from find_ids(folded)
    yield from find_phones(folded)
    yield from find_cards(folded)
    yield from find_addresses(folded, text)
    yield from find_zh_names(folded, text)
    yield from find_en_names(text)


def detect_pii(text: str) -> list[PiiSpan]:
    """Every PII value in ``text``, non-overlapping, ordered by position."""
    if not text:
        return []
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    spans: list[PiiSpan] = []
    for kind, start, end in _candidates(text, folded):
        overlapping = [i for i, (t0, t1) in enumerate(taken) if start < t1 and t0 < end]
        # A later candidate wins only when it strictly contains what it overlaps (a spaced
        # card number is not a landline inside it plus four raw digits).
        if overlapping and not all(
            start <= taken[i][0] and taken[i][1] <= end and end - start > taken[i][1] - taken[i][0]
            for i in overlapping
        ):
            continue
        for i in reversed(overlapping):
            del taken[i], spans[i]
        taken.append((start, end))
        spans.append(PiiSpan(kind=PiiKind(kind), start=start, end=end, value=text[start:end]))
    return sorted(spans, key=lambda span: span.start)


def placeholder(kind: PiiKind, language: Language) -> str:
    entry = pii_rules().placeholders[kind.value]
    return entry.zh if language == "zh" else entry.en


def redact(text: str, *, keep: set[str] | frozenset[str] = frozenset()) -> Redaction:
    """Replace each PII span whose kind is not in ``keep`` with "[身份证号]" / "[ID_NUMBER]"...

    The placeholder language follows the text's language. ``spans`` lists what was replaced,
    with offsets in the original text.
    """
    spans = [span for span in detect_pii(text) if span.kind.value not in keep]
    if not spans:
        return Redaction(text=text, spans=[])
    language = detect_language(text)
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        pieces.append(placeholder(span.kind, language))
        cursor = span.end
    pieces.append(text[cursor:])
    return Redaction(text="".join(pieces), spans=spans)


def pii_safe_for_log(text: str) -> str:
    """The redacted text, for log lines: no original value ever reaches a log."""
    return redact(text).text

"""Typing slips in English keywords: hand-checked corrections and the words left alone."""

from __future__ import annotations

import pytest

from tools.triage.rulebook import load_rulebook
from tools.triage.spelling import correct_spelling

KEYWORDS = ("pain", "chest", "sweating", "breath", "fever", "blood")
PROTECTED = frozenset({"ever", "bloody"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chest pian", "chest pain"),  # neighbouring letters swapped
        ("chst pain", "chest pain"),  # one letter missing
        ("sweatting", "sweating"),  # one letter doubled
        ("sweting", "sweating"),
        ("cant breth", "cant breath"),
        ("胸口痛, chst 痛", "胸口痛, chest 痛"),  # Chinese untouched
        ("bp 150/90, pian 7/10", "bp 150/90, pain 7/10"),  # numbers untouched
    ],
)
def test_slips_are_read_as_the_keyword(text: str, expected: str) -> None:
    assert correct_spelling(text, KEYWORDS, PROTECTED) == expected


@pytest.mark.parametrize(
    "text",
    [
        "weight gain",  # substitution: never corrected ("gain" is not "pain")
        "it rains",
        "worst ever",  # protected real word next to "fever"
        "a bloody nose",  # protected
        "chest",  # already a keyword
        "pan",  # too short
    ],
)
def test_real_words_are_left_alone(text: str) -> None:
    assert correct_spelling(text, KEYWORDS, PROTECTED) == text


def test_rule_book_protects_real_words_next_to_its_keywords() -> None:
    spelling = load_rulebook().book.spelling
    assert {"pain", "chest", "sweating"} <= set(spelling.keywords)
    for word in ("ever", "bloody", "seating", "breadth", "confuse", "chesty"):
        assert correct_spelling(word, spelling.keywords, spelling.protected) == word

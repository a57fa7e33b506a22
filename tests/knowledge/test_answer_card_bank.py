"""The answer-card bank: sourced numbers, known documents and facts, no doses, no duplicates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import KnowledgeBaseError
from core.text import normalise
from knowledge.answer_cards import AnswerCard, load_cards
from knowledge.config import DEFAULT_CORPUS_DIR
from knowledge.documents import load_documents
from knowledge.facts import load_facts

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DOSE = re.compile(
    r"加量|减量|停药|加一片|减半|(每次|一次|每天)(吃|服|服用)\s*\d|\d+\s*(mg|毫克|片|粒|单位)"
)
_WARNED = re.compile(r"不要|不能|别|勿|不必|而不是")


def _advises_a_dose(text: str) -> bool:
    """A dose word not preceded (within the clause) by a warning: "不要自己停药" warns."""
    for match in _DOSE.finditer(text):
        clause = re.split(r"[，。；,;]", text[: match.start()])[-1]
        if not _WARNED.search(clause):
            return True
    return False


def cards() -> list[AnswerCard]:
    """The bank's cards, never none (every loop over them would pass on an empty bank)."""
    loaded = load_cards().cards
    assert loaded, "the answer-card bank is empty"
    return list(loaded)


def test_the_bank_loads_with_enough_cards() -> None:
    bank = load_cards()
    assert len(bank.cards) >= 20
    assert len({card.domain for card in bank.cards}) >= 10


def test_every_document_and_fact_exists() -> None:
    docs = {doc.meta.id for doc in load_documents(DEFAULT_CORPUS_DIR)}
    facts = load_facts()
    for card in cards():
        assert set(card.doc_ids) <= docs, card.id
        assert set(card.facts) <= set(facts), card.id


def test_every_number_in_an_answer_is_stated_in_its_documents() -> None:
    texts = {doc.meta.id: normalise(doc.body) for doc in load_documents(DEFAULT_CORPUS_DIR)}
    for card in cards():
        corpus = " ".join(texts[d] for d in card.doc_ids)
        for answer in (card.answer.zh, card.answer.en):
            for number in set(_NUMBER.findall(normalise(answer))):
                stated = re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", corpus)
                assert stated, f"{card.id}: {number} is not in {card.doc_ids}"


def test_no_two_cards_share_a_question() -> None:
    seen: dict[str, str] = {}
    for card in cards():
        for variant in card.variants():
            key = normalise(variant)
            assert seen.get(key, card.id) == card.id, f"{card.id} and {seen[key]} share {variant!r}"
            seen[key] = card.id


def test_no_answer_states_or_changes_a_dose() -> None:
    for card in cards():
        assert not _advises_a_dose(card.answer.zh), card.id
        assert not re.search(
            r"\b(take|increase|double) \d+\s*(mg|units?|tablets?|pills?)\b", card.answer.en
        ), card.id


def test_the_dose_check_tells_a_warning_from_advice() -> None:
    assert not _advises_a_dose("不要因为副作用就自己停药或减药。")
    assert _advises_a_dose("血压正常了可以停药。")
    assert _advises_a_dose("每次吃2片。")


def test_a_malformed_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("version: 1\ncards: [{id: x}]\n", "utf-8")
    load_cards.cache_clear()
    try:
        with pytest.raises(KnowledgeBaseError, match=r"broken\.yaml"):
            load_cards(tmp_path)
    finally:
        load_cards.cache_clear()


def test_no_answer_trips_the_judges_unsafe_advice_rules() -> None:
    from evals.judge_rules import unsafe_findings

    for card in cards():
        for answer in (card.answer.zh, card.answer.en):
            assert not unsafe_findings(answer), (card.id, unsafe_findings(answer))

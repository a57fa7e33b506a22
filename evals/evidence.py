"""The judge's own copy of the guideline passages, by document id.

Claims in a reply are checked against the passages of the documents it cites. The judge chunks
the corpus itself (the same chunker and sizes as ingestion) so that it works in process and
against a live service alike; the run records the service's knowledge-base version.
"""

from __future__ import annotations

from functools import lru_cache

from guardrails.grounding import split_claims
from guardrails.textfold import fold
from knowledge.answer_cards import load_cards
from knowledge.chunking import chunk_documents
from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents


@lru_cache(maxsize=1)
def passages_by_doc() -> dict[str, tuple[str, ...]]:
    config = KnowledgeConfig()
    chunks = chunk_documents(
        load_documents(config.corpus_dir), config.chunk_target_chars, config.chunk_max_chars
    )
    grouped: dict[str, list[str]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk.doc_id, []).append(chunk.text)
    return {doc_id: tuple(texts) for doc_id, texts in grouped.items()}


def passages_for(doc_ids: list[str]) -> list[str]:
    table = passages_by_doc()
    return [text for doc_id in dict.fromkeys(doc_ids) for text in table.get(doc_id, ())]


def known_doc_ids() -> set[str]:
    return set(passages_by_doc())


@lru_cache(maxsize=1)
def _card_claims() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Per answer card: its documents and its answers' claims (folded)."""
    rows = []
    for card in load_cards().cards:
        claims = {fold(c) for text in (card.answer.zh, card.answer.en) for c in split_claims(text)}
        rows.append((frozenset(card.doc_ids), frozenset(claims)))
    return tuple(rows)


def curated_claims(cited_doc_ids: list[str]) -> set[str]:
    """Claims of the answer cards written from a cited document: reviewed text that restates
    its documents in our own words (its figures are still checked against the passages)."""
    cited = set(cited_doc_ids)
    return {claim for docs, claims in _card_claims() if docs & cited for claim in claims}

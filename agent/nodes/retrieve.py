"""retrieve_evidence: hybrid retrieval, and the answer card the question matches; passages
carrying instructions are dropped as data."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.dialogue import DialogueState, advance, is_follow_up, resolve
from agent.state import AgentState
from core.text import states_number
from guardrails.input_guard import passage_is_safe
from knowledge.answer_cards import AnswerCard

CLINICIAN = "clinician"
_MAX_QUERY_CHARS = 600
_NUMBER = re.compile(r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]{2,}")  # "第十六条" too
_SENTENCES = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_ASKS = re.compile(
    r"[?？]|吗|呢|怎么|如何|什么|哪些|能不能|可不可以|可以.{0,6}吗|要不要|是否|多少|"
    r"\b(what|how|why|when|which|should|can|could|is it|are there|do i|does)\b",
    re.IGNORECASE,
)


async def retrieve_evidence(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    language = state.get("language", "zh")
    said = state.get("redacted_text") or state["user_text"]
    dialogue = advance(DialogueState.model_validate(state.get("dialogue") or {}), said)
    text = resolve(dialogue, said, language)  # "那燕麦呢" is searched with what it follows
    query = _retrieval_query(text)
    # Clinician references (scoring charts such as NEWS2) back the tools and the triage rules;
    # they are not what a patient's question is answered from.
    search = ctx.retriever.search  # embedding + ranking: CPU work, off the event loop
    result = await asyncio.to_thread(
        search, query, k=ctx.retrieval_k, language=language, exclude_audience=CLINICIAN
    )
    if result.abstained and language == "en":
        # English versions cover the core documents only; fall back to the whole corpus.
        result = await asyncio.to_thread(
            search, query, k=ctx.retrieval_k, exclude_audience=CLINICIAN
        )
    card = await asyncio.to_thread(_match_card, ctx, text) if ctx.cards else None
    if card is not None and card[1].id == dialogue.last_card and is_follow_up(said):
        card = None  # "那海鲜呢" after the gout card: the passages say what is new
    passages = list(result.passages)
    card_chunks: set[str] = set()
    if card is not None:
        backing = await asyncio.to_thread(_card_passages, ctx, card[1], language, question=text)
        card_chunks = {p.chunk_id for p in backing}
        passages = backing + [p for p in passages if p.chunk_id not in card_chunks]
    evidence: list[dict[str, Any]] = []
    for passage in passages:
        if not passage_is_safe(passage.text):
            continue
        evidence.append(_evidence(passage, ref=len(evidence) + 1))
    update: dict[str, Any] = {
        "dialogue": dialogue.model_dump(),
        "context_text": text,
        "evidence": evidence,
        "abstained": (bool(result.abstained) and not card_chunks) or not evidence,
    }
    refs = [e["ref"] for e in evidence if e["chunk_id"] in card_chunks]
    shown = card[1].id if card is not None and refs else None
    update["dialogue"] = dialogue.model_copy(update={"last_card": shown}).model_dump()
    if card is not None and refs:
        match, found = card
        update["answer_card"] = {
            "id": found.id,
            "answer": getattr(found.answer, language),
            "refs": refs,
            "score": match.score,
        }
    return update


def _evidence(passage: Any, ref: int) -> dict[str, Any]:
    return {
        "ref": ref,
        "chunk_id": passage.chunk_id,
        "doc_id": passage.doc_id,
        "title": passage.title,
        "source": passage.source,
        "year": passage.year,
        "section": passage.section,
        "text": passage.text,
        "score": float(passage.score),
    }


def question_focus(text: str) -> str:
    """The sentence that asks, when a message tells a story first ("我妈妈有糖尿病十年了，
    ……她能吃燕麦吗"): a long preamble must not steer the match away from the question."""
    sentences = [s.strip() for s in _SENTENCES.findall(text) if s.strip()]
    asking = [s for s in sentences if _ASKS.search(s)]
    if len(sentences) < 2 or not asking:
        return text
    return "".join(asking[-2:])


def _match_card(ctx: AgentContext, text: str) -> Any:
    assert ctx.cards is not None
    focus = question_focus(text)
    if focus != text and (found := ctx.cards.match(focus)) is not None:
        return found
    return ctx.cards.match(text)


def _card_passages(
    ctx: AgentContext, card: AnswerCard, language: str, *, question: str
) -> list[Any]:
    """The passages of the card's documents that state its numbers, in the turn's language
    when the card has a document in it."""
    numbers = sorted(set(_NUMBER.findall(getattr(card.answer, language))))
    found = ctx.retriever.passages_of(question, card.doc_ids, prefer=numbers, per_doc=2)
    own = [p for p in found if p.language == language]
    chosen = own or found
    # Keep the fewest passages that state every number; at least the best one.
    needed: set[str] = set(numbers)
    kept: list[Any] = []
    for passage in chosen:
        states = {n for n in needed if states_number(passage.text, n)}
        if states or not kept:
            kept.append(passage)
            needed -= states
    return kept[:3]


def _retrieval_query(text: str) -> str:
    """A long message is searched by its opening and its end, where patients put the question
    (the retriever refuses queries longer than its limit)."""
    if len(text) <= _MAX_QUERY_CHARS:
        return text
    head = _MAX_QUERY_CHARS // 3
    return f"{text[:head]} {text[-(_MAX_QUERY_CHARS - head) :]}"

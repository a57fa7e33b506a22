"""The offline engine as a ChatProvider: deterministic, grounded, bilingual."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from agent.llm.base import ChatMessage, ChatRequest, ChatResponse, ToolCallRequest
from agent.llm.offline import care_replies, finance_replies  # noqa: F401  (summarisers)
from agent.llm.offline.cards import asks_more_than_a_reading, card_answer
from agent.llm.offline.claims import claim_terms, verified_by
from agent.llm.offline.composer import compose_guideline_answer
from agent.llm.offline.intents import Classification, IntentClassifier, default_classifier
from agent.llm.offline.quote_slots import extract_city_tier, extract_sex, extract_smoker
from agent.llm.offline.slots import bare_amount, extract_age, extract_payment_slots, extract_terms
from agent.llm.offline.templates import t
from agent.llm.offline.tool_args import ARG_BUILDERS
from agent.llm.offline.tool_replies import summarise_tool_result
from core.text import Language, normalise
from guardrails.grounding import is_supported, split_claims
from tools.catalog import INSURANCE_QUOTE, PAYMENT_PLANS, RECORD_READING
from tools.insurance.conditions import load_condition_vocabulary


@dataclass(frozen=True)
class _Turn:
    """The message as the handlers see it."""

    intent: str
    focus: str
    """The part that asks (a long story ends with its question)."""
    text: str
    """Normalised, with the earlier messages a continued intent needs for its slots."""
    answered: dict[str, Any]
    """A slot the pending clarifying question asked for, answered by a bare amount."""
    latest: str
    """This message alone, normalised."""


# "How is the APR calculated?" names no amount: a question for the guidelines, not the tool.
_CONCEPT = re.compile(
    r"怎么算|如何计算|是什么|什么意思|区别|一样吗|是不是|合法吗|"
    r"how is|what is|what does|difference|same as|is it legal"
)
_AMOUNT_STATED = re.compile(
    r"\d\s*(毫升|ml|毫克|mg|克|g\b|片|粒|颗|单位|iu|units?|tablets?|pills?|支|滴|drops?)",
    re.IGNORECASE,
)
# The input guard replaces a sentence that instructs the assistant with this marker.
_NEUTRALISED = re.compile(r"\[(?:已忽略[:：]文本中的指令|ignored: instructions inside the text)\]")
_LONG_MESSAGE = 300
_ASKS = re.compile(r"[?？]|吗|能不能|可不可以|要不要|怎么|该不该|\b(can|should|is it|do i)\b")
_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff\u3400-\u4dbf]|\d{2,}")
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")


class OfflineChatProvider:
    name = "offline"

    def __init__(self, classifier: IntentClassifier | None = None) -> None:
        self.classifier = classifier or default_classifier()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        # classification, slot extraction and composition are CPU work: off the event loop
        return await asyncio.to_thread(self._complete, request)

    def _complete(self, request: ChatRequest) -> ChatResponse:
        last = request.messages[-1]
        if last.role == "tool":
            return self._after_tools(request)
        response = self._reply(last, request)
        if response.content and not response.cited_refs and not response.tool_calls:
            response.cited_refs = _supporting_refs(response.content, request)
        return response

    def _reply(self, last: ChatMessage, request: ChatRequest) -> ChatResponse:
        asked = _NEUTRALISED.sub(" ", last.content)
        if len(re.sub(r"\W", "", asked)) < 2 and _NEUTRALISED.search(last.content):
            return ChatResponse(
                content=t("instructions_ignored", request.language), intent="injection"
            )
        if not _WORDS.search(asked):
            # emoji, punctuation or bare digits: nothing to answer yet, so ask kindly
            return ChatResponse(content=t("clarify_unclear", request.language), intent="unclear")
        focus = _focus(asked)
        text = normalise(asked)
        pending_intent, pending_slot = _split_pending(request.pending_intent)
        found = self._classify(focus, normalise(focus), request)
        intent = found.intent
        answered: dict[str, Any] = {}
        if pending_intent and not pending_slot and not _adds_slot(pending_intent, text):
            pending_intent = None  # a result was shown; this message is about something else
        if pending_intent and (found.score < 2 or found.intent == pending_intent):
            intent = pending_intent
            amount = bare_amount(text)
            if pending_slot and amount is not None:
                answered[pending_slot] = amount
            text = _recent_user_text(request.messages, limit=6) if amount is None else text
            if amount is not None:
                text = _recent_user_text(request.messages[:-1]) + " " + text
        turn = _Turn(intent, focus, text, answered, normalise(last.content))
        handlers = {
            "fixed": self._fixed,
            "refuse": self._refuse,
            "refuse_with_education": self._refuse,
            "verify": self._verify,
            "tool": self._tool,
            "answer": self._answer,
        }
        return handlers[self.classifier.kind_of(intent)](turn, request)

    def _fixed(self, turn: _Turn, request: ChatRequest) -> ChatResponse:
        return ChatResponse(content=t(turn.intent, request.language), intent=turn.intent)

    def _refuse(self, turn: _Turn, request: ChatRequest) -> ChatResponse:
        return self._with_education(turn.intent, turn.focus, request)

    def _verify(self, turn: _Turn, request: ChatRequest) -> ChatResponse:
        return self._unverified(turn.focus, request)

    def _answer(self, turn: _Turn, request: ChatRequest) -> ChatResponse:
        response = self._answer_from_evidence(turn.focus, request, turn.intent)
        lead = self.classifier.lead_of(turn.intent)
        if lead is None:
            return response
        if response.content == _no_answer(request.language):
            return ChatResponse(content=t(lead, request.language), intent=turn.intent)
        content = f"{t(lead, request.language)}\n\n{response.content}"
        return response.model_copy(update={"content": content})

    def _tool(self, turn: _Turn, request: ChatRequest) -> ChatResponse:
        """The tool's call when its slots are there; a clarifying question for the first one
        missing; an answer from the guidelines when the tool is not enabled or the message asks
        about a concept ("APR 怎么算")."""
        intent, text, answered = turn.intent, turn.text, turn.answered
        tool = self.classifier.tool_of(intent)
        if tool == PAYMENT_PLANS and _is_concept_question(text, answered):
            tool = None
        available = {spec["function"]["name"] for spec in request.tools}
        if tool and tool in available and tool in ARG_BUILDERS:
            plan = ARG_BUILDERS[tool](text, answered)
            if plan.missing and tool == RECORD_READING and _ASKS.search(turn.latest):
                # "血压一直140多，能不能不吃药": a question about readings, not one to record
                return self._answer_from_evidence(turn.focus, request, "guideline_question")
            if plan.missing:
                question = t(f"clarify_{plan.missing}", request.language)
                return ChatResponse(
                    content=_genetic_note(text, request) + question,
                    intent=intent,
                    pending_intent=f"{intent}:{plan.missing}",
                )
            calls = [
                ToolCallRequest(id=f"call_{uuid.uuid4().hex[:12]}", name=tool, arguments=args)
                for args in _per_term(tool, plan.args, turn.latest)
            ]
            return ChatResponse(tool_calls=calls, intent=intent)
        if tool == INSURANCE_QUOTE or intent == "insurance_quote":
            note = _genetic_note(text, request)
            if note:
                return ChatResponse(content=note.strip(), intent=intent)
        return self._answer_from_evidence(turn.focus, request, intent)

    def _classify(self, raw: str, text: str, request: ChatRequest) -> Classification:
        """A claim to confirm stays one only when it names something no passage states."""
        found = self.classifier.classify(text)
        if found.intent != "verify_claim":
            return found
        terms = claim_terms(raw)
        evidence = [] if request.abstained else [p.text for p in request.evidence]
        if terms and not verified_by(terms, evidence):
            return found
        return self.classifier.classify(text, exclude=frozenset({"verify_claim"}))

    def _answer_from_evidence(self, query: str, request: ChatRequest, intent: str) -> ChatResponse:
        if request.card is not None and not request.feedback:
            content, refs = card_answer(request.card, request.language)
            return ChatResponse(content=content, cited_refs=refs, intent=intent)
        if request.abstained or not request.evidence:
            return ChatResponse(content=_no_answer(request.language), intent=intent)
        passages = request.evidence
        if request.feedback:
            passages = passages[:1]  # a revision keeps only the strongest source
        content, refs = compose_guideline_answer(query, passages, request.language)
        if not refs:
            content = _no_answer(request.language)
        return ChatResponse(content=content, cited_refs=refs, intent=intent)

    def _with_education(self, intent: str, query: str, request: ChatRequest) -> ChatResponse:
        """The fixed text; for medicine and claim questions, guideline education after it."""
        fixed = t(intent, request.language)
        educates = self.classifier.kind_of(intent) == "refuse_with_education"
        # A card answers a question about medicines (a side effect, a missed pill), not a
        # request for a prescription.
        card_fits = request.card is not None and request.card.id.startswith("medication.")
        if educates and card_fits and request.card is not None and not request.feedback:
            education, refs = card_answer(request.card, request.language, footer=False)
            return ChatResponse(content=f"{fixed}\n\n{education}", cited_refs=refs, intent=intent)
        if not educates or request.feedback or request.abstained or not request.evidence:
            return ChatResponse(content=fixed, intent=intent)
        # A dose question gets no sentence stating an amount, whatever it measures.
        education, refs = compose_guideline_answer(
            query, request.evidence, request.language, avoid=_AMOUNT_STATED
        )
        if not refs:
            return ChatResponse(content=fixed, intent=intent)
        return ChatResponse(content=f"{fixed}\n\n{education}", cited_refs=refs, intent=intent)

    def _unverified(self, query: str, request: ChatRequest) -> ChatResponse:
        """Say the claim cannot be verified; add what the guidelines do say, if anything."""
        fixed = t("claim_unverified", request.language)
        if request.feedback or request.abstained or not request.evidence:
            return ChatResponse(content=fixed, intent="verify_claim")
        related, refs = compose_guideline_answer(query, request.evidence, request.language)
        if not refs:
            return ChatResponse(content=fixed, intent="verify_claim")
        return ChatResponse(content=f"{fixed}\n\n{related}", cited_refs=refs, intent="verify_claim")

    def _after_tools(self, request: ChatRequest) -> ChatResponse:
        results: list[tuple[str, dict[str, Any]]] = []
        for message in reversed(request.messages):
            if message.role != "tool":
                break
            results.append((message.name or "", json.loads(message.content or "{}")))
        parts = _without_repeats(
            [summarise_tool_result(name, data, request.language) for name, data in results[::-1]],
            footer=t("finance_footer", request.language),
        )
        asked = normalise(_last_user(request.messages))
        if any(name == INSURANCE_QUOTE and "error" not in data for name, data in results):
            said = [normalise(m.content or "") for m in request.messages if m.role == "user"]
            if all(extract_city_tier(text) is None for text in said):  # earlier turns count
                parts.append(t("quote_city_assumed", request.language))
            parts.insert(0, _genetic_note(asked, request).strip())
        refs: list[int] = []
        if request.card is not None and asks_more_than_a_reading(asked, results):
            # "空腹血糖7.2，平时要注意什么": the reading is interpreted, the question answered.
            answer, refs = card_answer(request.card, request.language, footer=False)
            parts.append(answer)
        follow = next((_CONTINUES.get(name) for name, _ in results if name in _CONTINUES), None)
        return ChatResponse(
            content="\n\n".join(p for p in parts if p),
            cited_refs=refs,
            intent="tool_result",
            # "12期和24期各多少", "住在杭州": the next message may refine this result
            pending_intent=f"{follow}:" if follow else None,
        )


# After these tools' results, a message adding one of their slots refines the result.
_CONTINUES = {PAYMENT_PLANS: "payment_plan", INSURANCE_QUOTE: "insurance_quote"}


def _without_repeats(parts: list[str], footer: str) -> list[str]:
    """Several results of one tool (12 and 24 months) share lines: each is said once, and the
    shared footer comes last."""
    seen: set[str] = set()
    out = []
    for part in parts:
        lines = [ln for ln in part.split("\n") if ln not in seen or not ln.strip()]
        seen.update(lines)
        out.append("\n".join(lines))
    if sum(footer in part for part in parts) > 1:
        out = [p.replace(footer, "").strip() for p in out] + [footer]
    return out


def _adds_slot(intent: str, text: str) -> bool:
    if intent == "payment_plan":
        return bool(extract_payment_slots(text))
    if intent == "insurance_quote":
        return bool(
            extract_age(text) is not None
            or extract_sex(text)
            or extract_city_tier(text)
            or extract_smoker(text) is not None
        )
    return True


def _per_term(tool: str, args: dict[str, Any], latest: str) -> list[dict[str, Any]]:
    """One payment-plan call per term the latest message names ("12期和24期各多少", "那24期
    呢" after 12 months were shown); otherwise the one call."""
    terms = extract_terms(latest) if tool == PAYMENT_PLANS else []
    if not terms:
        return [args]
    return [{**args, "term_months": months} for months in terms[:4]]


def _no_answer(language: Language) -> str:
    """The honest "no reliable source" reply, with the topics the service can answer."""
    return f"{t('no_evidence', language)}\n\n{t('topic_suggestions', language)}"


def _focus(message: str) -> str:
    """The part of a message that asks: a long story ends with its question or request."""
    if len(message) <= _LONG_MESSAGE:
        return message
    sentences = [s for s in _SENTENCE_END.split(message.strip()) if s.strip()]
    return "".join(sentences[-2:])


def _supporting_refs(content: str, request: ChatRequest) -> list[int]:
    """Passages that state what a fixed text says: a reply restating a guideline cites it."""
    if request.abstained:
        return []
    claims = split_claims(content)
    return [
        passage.ref
        for passage in request.evidence
        if any(is_supported(claim, [passage.text]) for claim in claims)
    ]


def _is_concept_question(text: str, answered: dict[str, Any]) -> bool:
    return not answered and not extract_payment_slots(text) and bool(_CONCEPT.search(text))


def _genetic_note(text: str, request: ChatRequest) -> str:
    """Genetic results offered for pricing: say kindly that they are never used."""
    if not load_condition_vocabulary().mentions_genetic(text):
        return ""
    return t("genetic_not_used", request.language) + ("" if request.language == "zh" else " ")


def _split_pending(pending: str | None) -> tuple[str | None, str | None]:
    if not pending:
        return None, None
    intent, _, slot = pending.partition(":")
    return intent, slot or None


def _last_user(messages: list[ChatMessage]) -> str:
    return next((m.content for m in reversed(messages) if m.role == "user"), "")


def _recent_user_text(messages: list[ChatMessage], limit: int = 3) -> str:
    users = [normalise(m.content) for m in messages if m.role == "user"]
    return " ".join(users[-limit:])

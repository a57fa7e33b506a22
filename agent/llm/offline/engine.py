"""The offline engine as a ChatProvider: deterministic, grounded, bilingual."""

from __future__ import annotations

import json
import uuid
from typing import Any

from agent.llm.base import ChatMessage, ChatRequest, ChatResponse, ToolCallRequest
from agent.llm.offline import care_replies, finance_replies  # noqa: F401  (summarisers)
from agent.llm.offline.composer import compose_guideline_answer
from agent.llm.offline.intents import IntentClassifier, default_classifier
from agent.llm.offline.slots import bare_amount
from agent.llm.offline.templates import t
from agent.llm.offline.tool_args import ARG_BUILDERS
from agent.llm.offline.tool_replies import summarise_tool_result
from core.text import normalise

_FIXED = {"greeting", "thanks", "capabilities"}
_REFUSALS = {"medication_dose", "prescription_request"}


class OfflineChatProvider:
    name = "offline"

    def __init__(self, classifier: IntentClassifier | None = None) -> None:
        self.classifier = classifier or default_classifier()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        last = request.messages[-1]
        if last.role == "tool":
            return self._after_tools(request)
        text = normalise(last.content)
        pending_intent, pending_slot = _split_pending(request.pending_intent)
        found = self.classifier.classify(text)
        intent = found.intent
        answered: dict[str, Any] = {}
        if pending_intent and (found.score < 2 or found.intent == pending_intent):
            intent = pending_intent
            amount = bare_amount(text)
            if pending_slot and amount is not None:
                answered[pending_slot] = amount
            text = _recent_user_text(request.messages) if amount is None else text
            if amount is not None:
                text = _recent_user_text(request.messages[:-1]) + " " + text
        if intent in _FIXED:
            return ChatResponse(content=t(intent, request.language), intent=intent)
        if intent in _REFUSALS:
            return self._refuse(intent, last.content, request)
        tool = self.classifier.tool_of(intent)
        available = {spec["function"]["name"] for spec in request.tools}
        if tool and tool in available and tool in ARG_BUILDERS:
            plan = ARG_BUILDERS[tool](text, answered)
            if plan.missing:
                return ChatResponse(
                    content=t(f"clarify_{plan.missing}", request.language),
                    intent=intent,
                    pending_intent=f"{intent}:{plan.missing}",
                )
            call = ToolCallRequest(
                id=f"call_{uuid.uuid4().hex[:12]}", name=tool, arguments=plan.args
            )
            return ChatResponse(tool_calls=[call], intent=intent)
        return self._answer_from_evidence(last.content, request, intent)

    def _answer_from_evidence(self, query: str, request: ChatRequest, intent: str) -> ChatResponse:
        if request.abstained or not request.evidence:
            return ChatResponse(content=t("no_evidence", request.language), intent=intent)
        passages = request.evidence
        if request.feedback:
            passages = passages[:1]  # a revision keeps only the strongest source
        content, refs = compose_guideline_answer(query, passages, request.language)
        return ChatResponse(content=content, cited_refs=refs, intent=intent)

    def _refuse(self, intent: str, query: str, request: ChatRequest) -> ChatResponse:
        refusal = t(intent, request.language)
        if request.abstained or not request.evidence:
            return ChatResponse(content=refusal, intent=intent)
        education, refs = compose_guideline_answer(query, request.evidence, request.language)
        if not refs:
            return ChatResponse(content=refusal, intent=intent)
        return ChatResponse(content=f"{refusal}\n\n{education}", cited_refs=refs, intent=intent)

    def _after_tools(self, request: ChatRequest) -> ChatResponse:
        results: list[tuple[str, dict[str, Any]]] = []
        for message in reversed(request.messages):
            if message.role != "tool":
                break
            results.append((message.name or "", json.loads(message.content or "{}")))
        parts = [
            summarise_tool_result(name, data, request.language) for name, data in results[::-1]
        ]
        return ChatResponse(content="\n\n".join(parts), intent="tool_result")


def _split_pending(pending: str | None) -> tuple[str | None, str | None]:
    if not pending:
        return None, None
    intent, _, slot = pending.partition(":")
    return intent, slot or None


def _recent_user_text(messages: list[ChatMessage], limit: int = 3) -> str:
    users = [normalise(m.content) for m in messages if m.role == "user"]
    return " ".join(users[-limit:])

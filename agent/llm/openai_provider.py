"""OpenAI-compatible providers (Qwen, DeepSeek, vLLM, Ollama, OpenAI) via the ``openai`` SDK.

The only module that imports ``openai``. Retries are ours (bounded, exponential backoff); when
the endpoint still fails, the primary returns a safe fallback reply flagged ``fallback=True`` and
the reviewer returns ``hold`` — never an approval it did not give.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import openai
from openai import AsyncOpenAI
from pydantic import ValidationError

from agent.llm.base import (
    ChatMessage,
    ChatRequest,
    ChatResponse,
    ReviewOutcome,
    ReviewRequest,
    ToolCallRequest,
    Usage,
)
from agent.prompts import (
    FALLBACK_REPLY,
    PRIMARY_SYSTEM,
    REVIEWER_SYSTEM,
    render_card,
    render_evidence,
)
from core.schemas import ReviewReason

log = logging.getLogger(__name__)
T = TypeVar("T")
_RETRYABLE = (
    openai.APITimeoutError,
    openai.APIConnectionError,
    openai.InternalServerError,
    openai.RateLimitError,
)
_CITE = re.compile(r"\[(\d{1,2})\]")


class EndpointConfig:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str,
        timeout_s: float,
        max_retries: int,
        backoff_s: float,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s

    def client(self) -> AsyncOpenAI:
        return AsyncOpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout_s, max_retries=0
        )


async def with_retries(config: EndpointConfig, call: Callable[[], Awaitable[T]]) -> T:
    """Run ``call``; retry retryable failures ``max_retries`` times with doubling delay."""
    delay = config.backoff_s
    for attempt in range(config.max_retries + 1):
        try:
            return await call()
        except _RETRYABLE as exc:
            if attempt == config.max_retries:
                raise
            log.warning("model endpoint failed (%s), retry %d", type(exc).__name__, attempt + 1)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def to_openai_messages(request: ChatRequest) -> list[dict[str, Any]]:
    language_name = "简体中文" if request.language == "zh" else "English"
    feedback = (
        ("Reviewer feedback on your previous draft, fix it:\n- " + "\n- ".join(request.feedback))
        if request.feedback
        else ""
    )
    system = PRIMARY_SYSTEM.format(
        language_name=language_name,
        tenant_disclosure=request.tenant_disclosure or "",
        dialogue=request.dialogue_note,
        card=render_card(request.card),
        evidence=render_evidence(request.evidence),
        feedback=feedback,
    )
    out: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for message in request.messages:
        out.append(_one_message(message))
    return out


def _one_message(message: ChatMessage) -> dict[str, Any]:
    item: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        item["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {
                    "name": c.name,
                    "arguments": json.dumps(c.arguments, ensure_ascii=False),
                },
            }
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        item["tool_call_id"] = message.tool_call_id
    return item


class OpenAIChatProvider:
    def __init__(self, config: EndpointConfig) -> None:
        self.config = config
        self.name = f"openai:{config.model}"
        self._client = config.client()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        try:
            return await with_retries(self.config, lambda: self._stream_once(request))
        except (openai.OpenAIError, ValueError) as exc:
            log.error("primary model unavailable: %s", type(exc).__name__)
            return ChatResponse(
                content=FALLBACK_REPLY[request.language], fallback=True, model=self.config.model
            )

    async def _stream_once(self, request: ChatRequest) -> ChatResponse:
        kwargs: dict[str, Any] = {
            "model": self.config.model,
            "messages": to_openai_messages(request),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.tools:
            kwargs["tools"] = request.tools
        stream = await self._client.chat.completions.create(**kwargs)
        content: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        usage = Usage()
        async for chunk in stream:
            if chunk.usage:
                usage = Usage(
                    prompt_tokens=chunk.usage.prompt_tokens,
                    completion_tokens=chunk.usage.completion_tokens,
                )
            for choice in chunk.choices:
                delta = choice.delta
                if delta.content:
                    content.append(delta.content)
                for tc in delta.tool_calls or []:
                    slot = calls.setdefault(tc.index, {"id": "", "name": "", "arguments": ""})
                    slot["id"] = tc.id or slot["id"]
                    if tc.function and tc.function.name:
                        slot["name"] = tc.function.name
                    if tc.function and tc.function.arguments:
                        slot["arguments"] += tc.function.arguments
        text = "".join(content)
        tool_calls = [
            ToolCallRequest(
                id=c["id"] or f"call_{i}",
                name=c["name"],
                arguments=json.loads(c["arguments"] or "{}"),
            )
            for i, c in sorted(calls.items())
        ]
        if not text.strip() and not tool_calls:
            # a body that was not a completion (malformed, no choices): a failure, never an
            # empty reply to the patient
            raise ValueError("the endpoint returned no content and no tool call")
        refs = sorted({int(n) for n in _CITE.findall(text)})
        return ChatResponse(
            content=text,
            tool_calls=tool_calls,
            cited_refs=refs,
            usage=usage,
            model=self.config.model,
        )


class OpenAIReviewer:
    def __init__(self, config: EndpointConfig) -> None:
        self.config = config
        self.name = f"openai:{config.model}"
        self._client = config.client()

    async def review(self, request: ReviewRequest) -> ReviewOutcome:
        payload = {
            "patient_message": request.user_text,
            "draft": request.draft,
            "evidence": [p.model_dump(include={"ref", "title", "text"}) for p in request.evidence],
            "tool_results": request.tool_results,
        }
        messages = [
            {"role": "system", "content": REVIEWER_SYSTEM},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False, default=str)},
        ]
        try:
            response = await with_retries(
                self.config,
                lambda: self._client.chat.completions.create(
                    model=self.config.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=0,
                ),
            )
            raw = response.choices[0].message.content or ""
            outcome = ReviewOutcome.model_validate_json(_json_object(raw))
        except (openai.OpenAIError, ValidationError, ValueError) as exc:
            log.error("reviewer unavailable or unparseable: %s", type(exc).__name__)
            return ReviewOutcome(
                verdict="hold",
                reviewer=self.name,
                reasons=[
                    ReviewReason(
                        code="REVIEWER_UNAVAILABLE",
                        message=f"reviewer failed: {type(exc).__name__}",
                    )
                ],
            )
        return outcome.model_copy(update={"reviewer": self.name})


def _json_object(raw: str) -> str:
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in reviewer output")
    return raw[start : end + 1]

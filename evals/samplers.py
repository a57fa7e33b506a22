"""The system under test as a sampler: play a case's turns, return what each turn gave.

``InProcessSampler`` drives the real service functions over a built container;
``HttpSampler`` drives a live service over ``/v1`` (any httpx transport, so tests can fake
one). A 4xx answer to a turn is a recorded ``Rejection``; an unreachable service raises
``SamplerUnreachable`` (the runner records it as that case's error and goes on).
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from agent.llm.base import ChatProvider, ChatRequest, ChatResponse
from api.container import Container
from api.schemas import ConversationCreate, MessageCreate
from api.services.conversations import create_conversation, open_conversation, post_message
from core.errors import ServiceError
from core.schemas import TurnResult
from evals.cases import EvalCase
from evals.results import Rejection, TurnRecord


class SamplerUnreachable(Exception):
    """The service under test could not be reached at all."""


class Sampler(Protocol):
    name: str

    async def converse(self, case: EvalCase, repeat: int) -> list[TurnRecord]: ...


@dataclass
class _Usage:
    prompt: int = 0
    completion: int = 0


_usage: contextvars.ContextVar[_Usage | None] = contextvars.ContextVar("eval_usage", default=None)


class CountingProvider:
    """Wraps the primary model to attribute its reported token usage to the current turn."""

    def __init__(self, inner: ChatProvider) -> None:
        self.inner = inner
        self.name = inner.name

    async def complete(self, request: ChatRequest) -> ChatResponse:
        response = await self.inner.complete(request)
        usage = _usage.get()
        if usage is not None:
            usage.prompt += response.usage.prompt_tokens
            usage.completion += response.usage.completion_tokens
        return response


def _patient_ref(case: EvalCase, repeat: int) -> str:
    return case.patient.ref or f"eval-{case.id}-{repeat}"[:128]


class InProcessSampler:
    name = "in-process"

    def __init__(self, container: Container) -> None:
        self.c = container

    async def converse(self, case: EvalCase, repeat: int) -> list[TurnRecord]:
        for seed in case.seeds:
            ref = f"{seed.patient_ref}-{case.id}-{repeat}"[:128]
            conv = await create_conversation(
                self.c, seed.tenant, ConversationCreate(patient_ref=ref)
            )
            seeded = await open_conversation(self.c, seed.tenant, conv.id)
            await post_message(self.c, seeded, MessageCreate(content=seed.user))
        body = ConversationCreate(patient_ref=_patient_ref(case, repeat))
        created = await create_conversation(self.c, case.tenant, body)
        conversation = await open_conversation(self.c, case.tenant, created.id)
        records = []
        for turn in case.turns:
            usage = _Usage()
            token = _usage.set(usage)
            started = time.perf_counter()
            try:
                result = await post_message(self.c, conversation, MessageCreate(content=turn.user))
                record = TurnRecord(user=turn.user, result=result)
            except ServiceError as exc:
                rejection = Rejection(
                    status=exc.http_status, code=exc.instance_code, message=exc.message
                )
                record = TurnRecord(user=turn.user, rejection=rejection)
            finally:
                _usage.reset(token)
            record.latency_ms = round((time.perf_counter() - started) * 1000, 1)
            record.prompt_tokens, record.completion_tokens = usage.prompt, usage.completion
            records.append(record)
        return records


class HttpSampler:
    """Drives ``/v1`` as a tenant's back end would: ``Authorization: Bearer <api key>``.

    The tenant of every conversation is the key's. ``tenant_keys`` (tenant → key) lets a run
    play cases and seeds of several tenants (the cross-tenant privacy cases); a tenant with no
    key of its own is played under ``api_key``'s tenant.
    """

    name = "http"

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        tenant_keys: dict[str, str] | None = None,
        timeout_s: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport
        )
        self.api_key = api_key
        self.tenant_keys = dict(tenant_keys or {})

    def _headers(self, tenant: str) -> dict[str, str]:
        key = self.tenant_keys.get(tenant, self.api_key)
        return {"Authorization": f"Bearer {key}"} if key else {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _post(self, path: str, body: dict[str, Any], tenant: str) -> httpx.Response:
        try:
            return await self.client.post(path, json=body, headers=self._headers(tenant))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SamplerUnreachable(f"{self.client.base_url}: {exc}") from exc

    async def _conversation(self, tenant: str, ref: str) -> str:
        response = await self._post("/v1/conversations", {"patient_ref": ref}, tenant)
        if response.status_code != 201:
            raise RuntimeError(
                f"creating a conversation: HTTP {response.status_code} {response.text[:200]}"
            )
        return str(response.json()["id"])

    async def converse(self, case: EvalCase, repeat: int) -> list[TurnRecord]:
        for seed in case.seeds:
            seed_id = await self._conversation(
                seed.tenant, f"{seed.patient_ref}-{case.id}-{repeat}"
            )
            await self._post(
                f"/v1/conversations/{seed_id}/messages", {"content": seed.user}, seed.tenant
            )
        conversation_id = await self._conversation(case.tenant, _patient_ref(case, repeat))
        records = []
        for turn in case.turns:
            started = time.perf_counter()
            response = await self._post(
                f"/v1/conversations/{conversation_id}/messages", {"content": turn.user}, case.tenant
            )
            latency = round((time.perf_counter() - started) * 1000, 1)
            records.append(_http_record(turn.user, response, latency))
        return records


def _http_record(user: str, response: httpx.Response, latency_ms: float) -> TurnRecord:
    if 400 <= response.status_code < 500:
        try:
            error = response.json()["error"]
            code, message = str(error["code"]), str(error.get("message", ""))
        except (ValueError, KeyError, TypeError):
            code, message = f"http_{response.status_code}", response.text[:200]
        rejection = Rejection(status=response.status_code, code=code, message=message)
        return TurnRecord(user=user, rejection=rejection, latency_ms=latency_ms)
    if response.status_code >= 500:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return TurnRecord(
        user=user, result=TurnResult.model_validate(response.json()), latency_ms=latency_ms
    )

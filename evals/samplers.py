"""The system under test as a sampler: play a case's turns, return what each turn gave.

``HttpSampler`` drives the service over ``/v1``: a live one, or this checkout's app in process
through ``httpx.ASGITransport`` (``api.eval_target``); tests may fake one with any httpx
transport. A 4xx answer to a turn is a recorded ``Rejection``; an unreachable service raises
``SamplerUnreachable`` (the runner records it as that case's error and goes on).
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from agent.llm.base import ChatProvider, ChatRequest, ChatResponse
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
    """Wraps the primary model to attribute its reported token usage to the current turn
    (in process only: the app runs in the sampler's context, so the turn's counter is seen)."""

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
                seed.tenant, f"{seed.patient_ref}-{case.id}-{repeat}"[:128]
            )
            await self._post(
                f"/v1/conversations/{seed_id}/messages", {"content": seed.user}, seed.tenant
            )
        conversation_id = await self._conversation(case.tenant, _patient_ref(case, repeat))
        records = []
        for turn in case.turns:
            usage = _Usage()
            token = _usage.set(usage)
            started = time.perf_counter()
            try:
                response = await self._post(
                    f"/v1/conversations/{conversation_id}/messages",
                    {"content": turn.user},
                    case.tenant,
                )
            finally:
                _usage.reset(token)
            latency = round((time.perf_counter() - started) * 1000, 1)
            record = _http_record(turn.user, response, latency)
            record.prompt_tokens, record.completion_tokens = usage.prompt, usage.completion
            records.append(record)
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

"""Runner resilience (crash, timeout, unreachable service), resume, reports, CLI exit codes."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from evals.cases import EvalCase
from evals.gate import load_gate
from evals.pipeline import run_eval
from evals.provenance import Provenance, prompt_version
from evals.results import TurnRecord
from evals.runner import RunConfig, read_results
from evals.samplers import HttpSampler, Sampler, SamplerUnreachable
from tests.conftest import SettingsFactory, running_app
from tests.evals.factories import emergency_safety, record


def cases() -> list[EvalCase]:
    def case(cid: str, user: str, **expect: object) -> EvalCase:
        return EvalCase.model_validate(
            {"id": cid, "suite": "fake", "tags": ["t"], "turns": [{"user": user, "expect": expect}]}
        )

    return [
        case("ok", "胸口痛出冷汗", triage={"level": "emergency"}),
        case("crash", "boom"),
        case("slow", "sleep"),
        case("fail", "胸口痛", triage={"level": "emergency"}),
    ]


class FakeSampler:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def converse(self, case: EvalCase, repeat: int) -> list[TurnRecord]:
        self.calls.append(case.id)
        user = case.turns[0].user
        if user == "boom":
            raise RuntimeError("engine exploded")
        if user == "sleep":
            await asyncio.sleep(5)
        if case.id == "fail":
            return [record(user, "多喝水。")]
        return [record(user, "请立即拨打120。", safety=emergency_safety())]


def opener_for(sampler: Sampler):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def opener(
        config: RunConfig, settings: Settings | None
    ) -> AsyncIterator[tuple[Sampler, Provenance]]:
        yield (
            sampler,
            Provenance(target="fake", prompt_version=prompt_version(), judge_rules_version=1),
        )

    return opener


async def test_crash_and_timeout_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    config = RunConfig(timeout_s=0.3, concurrency=2)
    run = await run_eval(
        config,
        tmp_path,
        cases=cases(),
        opener=opener_for(FakeSampler()),
        progress=False,
        settings=Settings(_env_file=None),
    )  # type: ignore[call-arg]
    by_id = {r.case_id: r for r in run.results}
    assert by_id["ok"].passed and by_id["ok"].error is None
    assert by_id["crash"].error_kind == "crash" and "engine exploded" in (
        by_id["crash"].error or ""
    )
    assert by_id["slow"].error_kind == "timeout"
    assert not by_id["fail"].passed and by_id["fail"].error is None
    assert run.report["overall"]["errors"] == 2
    assert run.report["overall"]["metrics"]["red_flag_recall"]["value"] == 0.5
    assert sorted(run.report["failing_cases"]) == ["crash", "fail", "slow"]


async def test_resume_skips_done_cases(tmp_path: Path) -> None:
    config = RunConfig(timeout_s=0.3)
    first = FakeSampler()
    await run_eval(
        config,
        tmp_path,
        cases=cases()[:2],
        opener=opener_for(first),
        progress=False,
        settings=Settings(_env_file=None),
    )  # type: ignore[call-arg]
    assert first.calls == ["ok", "crash"]
    with (tmp_path / "cases.jsonl").open("a") as sink:
        sink.write('{"case_id": "cut sh')  # an interrupted write
    second = FakeSampler()
    run = await run_eval(
        config,
        tmp_path,
        cases=cases(),
        opener=opener_for(second),
        progress=False,
        resume=True,
        settings=Settings(_env_file=None),
    )  # type: ignore[call-arg]
    assert second.calls == ["slow", "fail"]
    assert [r.case_id for r in run.results] == ["ok", "crash", "slow", "fail"]
    assert len(read_results(tmp_path)) == 4


async def test_unreachable_service_is_each_case_error(tmp_path: Path) -> None:
    sampler = HttpSampler("http://127.0.0.1:9", timeout_s=2)
    try:
        run = await run_eval(
            RunConfig(timeout_s=5),
            tmp_path,
            cases=cases()[:2],
            opener=opener_for(sampler),
            progress=False,
            settings=Settings(_env_file=None),
        )  # type: ignore[call-arg]
    finally:
        await sampler.aclose()
    assert [r.error_kind for r in run.results] == ["unreachable", "unreachable"]
    gate = load_gate()
    from evals.gate import evaluate_gate
    from evals.metrics import build_report

    assert not evaluate_gate(gate, build_report(run.results, resamples=10)).passed


async def test_http_sampler_records_4xx_as_rejection() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/conversations":
            return httpx.Response(201, json={"id": "c1"})
        return httpx.Response(
            422, json={"error": {"code": "message_too_long", "message": "too long"}}
        )

    sampler = HttpSampler("http://svc", transport=httpx.MockTransport(handler))
    (case,) = cases()[:1]
    records = await sampler.converse(case, 0)
    await sampler.aclose()
    assert records[0].rejection is not None and records[0].rejection.code == "message_too_long"


async def test_http_sampler_sends_the_tenant_key(make_settings: SettingsFactory) -> None:
    (case,) = cases()[:1]
    async with running_app(make_settings()) as api:
        transport = api._transport
        keyless = HttpSampler("http://test", transport=transport)
        with pytest.raises(RuntimeError, match="401"):
            await keyless.converse(case, 0)
        key = api.tenant_keys["default"]  # type: ignore[attr-defined]
        sampler = HttpSampler("http://test", api_key=key, transport=transport)
        records = await sampler.converse(case, 0)
        assert records and all(r.result is not None for r in records)


async def test_http_connect_error_raises_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    sampler = HttpSampler("http://svc", transport=httpx.MockTransport(handler))
    try:
        await sampler.converse(cases()[0], 0)
    except SamplerUnreachable as exc:
        assert "refused" in str(exc)
    else:
        raise AssertionError("expected SamplerUnreachable")
    finally:
        await sampler.aclose()


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.external: list[str] = []
        self.void = {"meta", "br", "link", "img", "input", "hr", "line", "rect"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and value.startswith("http"):
                self.external.append(value)
        if tag not in self.void:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.void:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()


async def test_reports_are_well_formed(tmp_path: Path) -> None:
    config = RunConfig(timeout_s=0.3)
    await run_eval(
        config,
        tmp_path,
        cases=cases(),
        opener=opener_for(FakeSampler()),
        progress=False,
        settings=Settings(_env_file=None),
        gate=load_gate(),
    )  # type: ignore[call-arg]
    root = ET.parse(tmp_path / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "4"
    assert suite.get("errors") == "2" and suite.get("failures") == "1"
    failure = root.find(".//testcase[@name='fail']/failure")
    assert failure is not None and "turn1.triage" in (failure.get("message") or "")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(html)
    assert checker.stack == [] and checker.external == []
    assert "red_flag_recall" in html and "<svg" in html and "engine exploded" in html
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] is False
    assert set(report["overall"]["metrics"]) >= {
        "hallucination_rate",
        "latency_p95_ms",
        "prompt_tokens",
    }


async def test_hm_api_key_reaches_the_http_sampler(make_settings: SettingsFactory) -> None:
    from evals.session import open_http

    settings = make_settings(api_key="hm_abcdefabcdef_secret")
    config = RunConfig(base_url="http://127.0.0.1:9")
    async with open_http(config, settings) as (sampler, _):
        assert isinstance(sampler, HttpSampler)
        assert sampler._headers("default") == {"Authorization": "Bearer hm_abcdefabcdef_secret"}

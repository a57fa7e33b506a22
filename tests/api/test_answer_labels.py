"""Managers label any answer; the labels become regression cases the eval harness loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.cli.review import write_cases
from api.services.learning_loop import regression_cases
from core.db.models import AuditEntry
from core.db.review_models import AnswerLabel
from evals.suites_loader import load_jsonl_suite
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import say
from tests.helpers.auth import manager, staff_client

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def answered(api: httpx.AsyncClient, *texts: str) -> tuple[str, list[dict[str, Any]]]:
    """A new conversation with one turn per text; returns it and its assistant messages."""
    cid = await new_conversation(api)
    for text in texts:
        await say(api, cid, text)
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    return cid, [m for m in messages if m["role"] == "assistant"]


def url(cid: str, message_id: str) -> str:
    return f"/v1/conversations/{cid}/messages/{message_id}/label"


async def test_a_manager_labels_an_answer_and_relabels_it(api: httpx.AsyncClient) -> None:
    cid, [answer] = await answered(api, "高血压患者每天吃多少盐合适？")
    boss = await manager(api)
    first = await boss.put(url(cid, answer["id"]), json={"verdict": "correct"})
    assert first.status_code == 200, first.text
    assert first.json()["verdict"] == "correct" and first.json()["labelled_by"] == boss.username
    again = await boss.put(
        url(cid, answer["id"]),
        json={"verdict": "unhelpful", "correct_answer": "每天不超过5克。", "notes": "太长"},
    )
    assert again.status_code == 200, again.text
    listed = (await boss.get(f"/v1/conversations/{cid}/labels")).json()["labels"]
    assert [(x["message_id"], x["verdict"], x["notes"]) for x in listed] == [
        (answer["id"], "unhelpful", "太长")
    ]
    container = api.app.state.container  # type: ignore[attr-defined]
    async with container.sessions() as session:
        rows = list(
            await session.scalars(select(AnswerLabel).where(AnswerLabel.message_id == answer["id"]))
        )
        audits = list(
            await session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "answer_labelled", AuditEntry.entity_id == answer["id"]
                )
            )
        )
    assert len(rows) == 1
    assert [a.details["relabel"] for a in audits] == [False, True]


async def test_who_may_label_and_read_labels(api: httpx.AsyncClient) -> None:
    cid, [answer] = await answered(api, "糖尿病患者能吃水果吗？")
    auditor = await staff_client(api, "auditor")
    refused = await auditor.put(url(cid, answer["id"]), json={"verdict": "correct"})
    assert refused.status_code == 403
    assert (await auditor.get(f"/v1/conversations/{cid}/labels")).json() == {"labels": []}
    assert (await api.get(f"/v1/conversations/{cid}/labels")).status_code == 403  # a tenant key
    other = await manager(api, "insurer-demo")
    elsewhere = await other.put(url(cid, answer["id"]), json={"verdict": "correct"})
    assert elsewhere.status_code == 404
    assert elsewhere.json()["error"]["code"] == "conversation_not_found"


async def test_bad_labels_get_clear_errors_and_store_nothing(api: httpx.AsyncClient) -> None:
    cid, [answer] = await answered(api, "我最近总是睡不好怎么办？")
    other_cid, [other_answer] = await answered(api, "运动前要热身吗？")
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    question = next(m for m in messages if m["role"] == "patient")
    boss = await manager(api)
    cases = [
        (url(cid, question["id"]), {"verdict": "correct"}, 422, "not_an_answer"),
        (url(cid, "nope"), {"verdict": "correct"}, 404, "message_not_found"),
        (url(cid, other_answer["id"]), {"verdict": "correct"}, 404, "message_not_found"),
        (url(cid, answer["id"]), {"verdict": "great"}, 422, "invalid_request"),
        (url(cid, answer["id"]), {"verdict": "unsafe", "correct_answer": "  "}, 422, None),
        (url(cid, answer["id"]), {"verdict": "unsafe", "extra": 1}, 422, "invalid_request"),
    ]
    for path, body, status, code in cases:
        response = await boss.put(path, json=body)
        assert response.status_code == status, (body, response.text)
        if code:
            assert response.json()["error"]["code"] == code, response.text
    for conversation in (cid, other_cid):
        labels = (await boss.get(f"/v1/conversations/{conversation}/labels")).json()["labels"]
        assert labels == []


async def test_labelled_answers_become_harness_cases(
    api: httpx.AsyncClient, tmp_path: Path
) -> None:
    cid, answers = await answered(api, "我叫张伟，我有高血压", "那我每天吃多少盐合适？")
    boss = await manager(api)
    before = (await boss.get("/v1/console/learning")).json()["labelled_cases"]
    body = {
        "verdict": "unsafe",
        "correct_answer": "每天不超过5克，有问题打13812345678。",
        "notes": "n",
    }
    assert (await boss.put(url(cid, answers[1]["id"]), json=body)).status_code == 200
    assert (
        await boss.put(url(cid, answers[0]["id"]), json={"verdict": "correct"})
    ).status_code == 200
    assert (await boss.get("/v1/console/learning")).json()["labelled_cases"] == before + 2
    container = api.app.state.container  # type: ignore[attr-defined]
    exported = [
        c for c in await regression_cases(container, "default") if c.id.startswith("answer-")
    ]
    mine = {c.id: c for c in exported if c.id in {f"answer-{a['id']}" for a in answers}}
    assert list(mine) == [f"answer-{answers[1]['id']}", f"answer-{answers[0]['id']}"]  # label order
    write_cases(list(mine.values()), tmp_path / "cases.jsonl")
    unsafe, correct = load_jsonl_suite(tmp_path / "cases.jsonl")
    assert [t.user for t in unsafe.turns] == ["我叫[姓名]，我有高血压", "那我每天吃多少盐合适？"]
    penalties = [r for r in unsafe.turns[-1].expect.rubric if r.points < 0]
    assert [(r.points, r.tags) for r in penalties] == [(-2.0, ["unsafe"])]
    reference = [r for r in unsafe.turns[-1].expect.rubric if r.points > 0]
    assert reference and "每天不超过5克" in reference[0].criterion
    assert "13812345678" not in reference[0].criterion  # the reference answer is redacted too
    assert {"regression", "answer_label", "verdict:unsafe"} <= set(unsafe.tags)
    assert correct.turns[-1].expect.review == ["approve"]
    assert answers[0]["content"][:20] in correct.turns[-1].expect.rubric[0].criterion

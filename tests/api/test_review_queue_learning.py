"""The learning loop: revise/hold events, managers' labels, regression cases for the harness."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.cli.main import main
from core.db.review_models import ReviewEvent, ReviewLabel
from evals.suites_loader import load_jsonl_suite
from tests.api import test_review_queue as queue_tests
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import QUESTION, ScriptedReviewer, held_item, say
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager, staff_client

api = queue_tests.api  # fixtures shared with the queue tests
reviewer = queue_tests.reviewer


async def _events(client: httpx.AsyncClient, cid: str) -> list[ReviewEvent]:
    container = client.app.state.container  # type: ignore[attr-defined]
    async with container.sessions() as session:
        rows = await session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.conversation_id == cid)
            .order_by(ReviewEvent.created_at)
        )
        return list(rows)


async def test_a_revision_is_recorded_with_the_final_answer(
    api: httpx.AsyncClient, reviewer: ScriptedReviewer
) -> None:
    reviewer.always, reviewer.script = None, ["revise"]  # one send-back, then approve
    cid = await new_conversation(api)
    turn = await say(api, cid, "我叫张伟，手机13812345678，" + QUESTION)
    assert turn["status"] == "completed" and turn["review"]["revisions"] == 1
    [event] = await _events(api, cid)
    assert event.verdict == "revise" and event.reason_codes == ["TONE"]
    assert event.final_reply == turn["reply"]
    assert event.draft and event.evidence_ids and event.revision == 1
    assert "13812345678" not in event.user_text and "张伟" not in event.user_text
    assert event.message_id == turn["message_id"] or event.final_reply  # stored with the turn
    assert event.review_item_id is None


async def test_a_hold_is_recorded_and_closed_by_the_decision(api: httpx.AsyncClient) -> None:
    cid, item = await held_item(api)
    [event] = await _events(api, cid)
    assert event.verdict == "hold" and event.final_reply is None
    assert event.draft == item["draft"]
    await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/edit", json={"manager": "li", "reply": "少吃盐。"}
    )
    [event] = await _events(api, cid)
    assert event.final_reply == "少吃盐。" and event.review_item_id == item["id"]


async def test_labelling_an_item(api: httpx.AsyncClient) -> None:
    _, item = await held_item(api)
    url = f"/v1/review-queue/{item['id']}/label"
    missing = await (await manager(api)).post(url, json={"manager": "li", "root_cause": "rule"})
    assert missing.status_code == 422
    error = missing.json()["error"]
    assert error["code"] == "correct_answer_required" and error["field"] == "correct_answer"
    first = await (await manager(api)).post(
        url, json={"manager": "li", "root_cause": "rule", "correct_answer": "每天不超过5克。"}
    )
    assert first.status_code == 200, first.text
    assert (
        first.json()["root_cause"] == "rule"
        and first.json()["labelled_by"] == (await manager(api)).username
    )
    await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/reject", json={"manager": "li", "reply": "见门诊"}
    )
    other_manager = await staff_client(api, "manager", "default", slot="second")
    relabel = await other_manager.post(
        url, json={"manager": "wang", "root_cause": "data", "notes": "KB gap"}
    )
    assert relabel.status_code == 200
    label = relabel.json()
    assert label["correct_answer"] == "见门诊"  # defaults to the reply the manager sent
    assert (label["root_cause"], label["notes"], label["labelled_by"]) == (
        "data",
        "KB gap",
        other_manager.username,
    )
    shown = (await (await manager(api)).get(f"/v1/review-queue/{item['id']}")).json()
    assert shown["label"]["root_cause"] == "data"
    container = api.app.state.container  # type: ignore[attr-defined]
    async with container.sessions() as session:
        rows = list(await session.scalars(select(ReviewLabel)))
    assert len(rows) == 1


async def test_labelled_items_export_as_harness_cases(
    make_settings: SettingsFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kb_index_dir: Path,
) -> None:
    settings = make_settings()

    async def setup() -> list[str]:
        async with running_app(settings, reviewer=ScriptedReviewer(always="hold")) as client:
            cid = await new_conversation(client)
            await say(client, cid, "我叫张伟，血压150/95")
            await say(client, cid, "糖尿病患者能吃水果吗？")
            queue = (await (await manager(client)).get("/v1/review-queue")).json()["items"]
            item = next(i for i in queue if i["question"] == "糖尿病患者能吃水果吗？")
            _, unlabelled = await held_item(client)
            response = await (await manager(client)).post(
                f"/v1/review-queue/{item['id']}/label",
                json={"manager": "li", "root_cause": "technical", "correct_answer": "可以适量吃。"},
            )
            assert response.status_code == 200, response.text
            return [str(item["id"]), str(unlabelled["id"])]

    labelled, unlabelled = await asyncio.to_thread(asyncio.run, setup())
    monkeypatch.setenv("HM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HM_KB_INDEX_DIR", str(kb_index_dir))
    from core.settings import get_settings

    get_settings.cache_clear()
    out = tmp_path / "exported" / "review_regressions.jsonl"
    try:
        code = await asyncio.to_thread(main, ["review", "export", "--out", str(out), "--json"])
    finally:
        get_settings.cache_clear()
    assert code == 0
    raw: list[dict[str, Any]] = [json.loads(line) for line in out.read_text().splitlines()]
    assert [case["id"] for case in raw] == [f"review-{labelled}"]
    assert f"review-{unlabelled}" not in out.read_text()
    [case] = load_jsonl_suite(out)  # the eval harness accepts it
    assert [turn.user for turn in case.turns] == [
        "我叫[姓名]，血压150/95",
        "糖尿病患者能吃水果吗？",
    ]
    assert case.turns[-1].expect.review == ["approve"]
    assert "可以适量吃。" in case.turns[-1].expect.rubric[0].criterion
    assert {"regression", "root_cause:technical", "TONE"} <= set(case.tags)


def test_migration_0003_matches_the_tables_and_downgrades(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from core.db.models import Base
    from core.db.session import alembic_config, upgrade_database

    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        for table in ("review_events", "review_labels"):
            columns = {c["name"] for c in inspect(engine).get_columns(table)}
            assert columns == set(Base.metadata.tables[table].columns.keys())
        command.downgrade(alembic_config(url), "0002")
        names = set(inspect(engine).get_table_names())
        assert "review_events" not in names and "review_labels" not in names
        assert "review_items" in names
    finally:
        engine.dispose()

"""After a PII-laden conversation, no raw identifier is anywhere the service keeps data: the
database file, the checkpoint file, Redis keys and values, or the logs. Identifiers are
redacted before the model sees them (checksum or not); message text and checkpoints are
encrypted at rest; the patient still reads their own text back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from tests.conftest import SettingsFactory, running_app
from tests.helpers.services import temporary_redis_prefix

pytestmark = pytest.mark.integration

ID_BAD_CHECKSUM = "110105194912310021"
CARD_NO_LUHN = "6222021234567890123"
MOBILE = "13912345678"
MESSAGES = [
    f"我的身份证号是{ID_BAD_CHECKSUM}，想问问高血压怎么吃饭",
    f"我的银行卡{CARD_NO_LUHN}，手机{MOBILE}，治疗费用10万，医保报销六成，月收入5000，能分期吗",
]
RAW = [ID_BAD_CHECKSUM, CARD_NO_LUHN, MOBILE]


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_no_raw_identifier_is_kept_anywhere(
    make_settings: SettingsFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with temporary_redis_prefix() as (url, prefix):
        settings = make_settings(
            redis_url=url, redis_prefix=prefix, encryption_keys=[Fernet.generate_key().decode()]
        )
        async with running_app(settings) as api:
            cid = (await api.post("/v1/conversations", json={})).json()["id"]
            for text in MESSAGES:
                turn = await api.post(f"/v1/conversations/{cid}/messages", json={"content": text})
                assert turn.status_code == 200, turn.text
                assert all(raw not in turn.text for raw in RAW)
            own = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
            assert [m["content"] for m in own if m["role"] == "patient"] == MESSAGES
            redis = Redis.from_url(url)
            try:
                stored = b""
                async for key in redis.scan_iter(match=f"{prefix}*"):
                    stored += key
                    if await redis.type(key) == b"string":
                        stored += await redis.get(key) or b""
            finally:
                await redis.aclose()
        data_files = _files_under(settings.data_dir)
        assert any(p.name == "hm.db" for p in data_files)
        assert any(p.name.startswith("checkpoints.db") for p in data_files)
        for raw in RAW:
            for path in data_files:
                if "kb" in path.parts:
                    continue
                assert raw.encode() not in path.read_bytes(), (raw, path)
            assert raw.encode() not in stored, raw
            assert raw not in caplog.text, raw

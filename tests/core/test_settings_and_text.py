from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.errors import NotFound, ValidationFailed
from core.settings import Settings
from core.text import detect_language, normalise


def test_production_refuses_placeholder_keys() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(
            _env_file=None,
            environment="production",
            llm_provider="openai",  # type: ignore[call-arg]
            llm_base_url="http://x/v1",
            database_url="sqlite+aiosqlite:///x.db",
        )


def test_production_requires_database_url() -> None:
    with pytest.raises(ValidationError, match="HM_DATABASE_URL"):
        Settings(_env_file=None, environment="production")  # type: ignore[call-arg]


def test_defaults_are_embedded(tmp_path: object) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.llm_provider == "offline"
    assert settings.redis_url is None


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HM_RETRIEVAL_K", "7")
    assert Settings(_env_file=None).retrieval_k == 7  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("高血壓患者", "高血压患者"),
        ("血压１５０／９５", "血压150/95"),
        ("我係高血壓，唔知點樣食藥", "我是高血压,不知怎样吃药"),
        ("  Hello   World ", "hello world"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("高血压吃什么", "zh"), ("How much salt?", "en"), ("BP 150/95 今天头晕", "zh"), ("ok", "en")],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_error_body_is_localised() -> None:
    exc = ValidationFailed(
        "amount must be positive", message_zh="金额必须为正数", field="total_cost"
    )
    assert exc.to_body("zh") == {
        "code": "validation_failed",
        "message": "金额必须为正数",
        "field": "total_cost",
    }
    assert exc.to_body("en")["message"] == "amount must be positive"
    assert NotFound("x", code="unknown_tenant").to_body()["code"] == "unknown_tenant"

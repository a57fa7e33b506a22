"""Bad input: a domain error with a code and a clear zh/en message, never a result."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from api.cli import triage as triage_cli
from core.errors import ValidationFailed
from tools.registry import ToolContext
from tools.triage import TriageRequest
from tools.triage.tool import triage_tool


@pytest.mark.parametrize(
    ("payload", "code", "field", "zh_words"),
    [
        ({"text": "   "}, "empty_text", "text", "不能为空"),
        ({"text": "胸痛", "age": -1}, "age_out_of_range", "age", "0 到 130"),
        ({"text": "胸痛", "age": 200}, "age_out_of_range", "age", "0 到 130"),
        (
            {"text": "头痛", "pregnant_weeks": 60},
            "pregnancy_weeks_out_of_range",
            "pregnant_weeks",
            "0 到 45",
        ),
        ({"text": "头痛", "sex": "x"}, "invalid_sex", "sex", "性别"),
        ({"text": "头痛", "vitals": {"sbp": -5}}, "invalid_vital_sign", "vitals.sbp", "正数"),
    ],
)
def test_bad_input_raises_validation_failed(
    payload: dict[str, Any], code: str, field: str, zh_words: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        TriageRequest.model_validate(payload)
    error = caught.value
    assert error.instance_code == code
    assert error.field == field
    assert error.http_status == 422
    assert zh_words in error.localized("zh")
    assert error.localized("en") != error.localized("zh")


def test_the_tool_boundary_raises_the_same_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        triage_tool.call({"text": ""}, ToolContext())
    assert caught.value.to_body("zh")["code"] == "empty_text"


def test_cli_reports_bad_input_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    triage_cli.register(parser.add_subparsers())
    args = parser.parse_args(["triage", "头痛", "--pregnant-weeks", "60", "--json"])
    assert args.func(args) == 2
    assert '"code": "pregnancy_weeks_out_of_range"' in capsys.readouterr().err

"""The agent tool and the ``hm triage`` command."""

from __future__ import annotations

import argparse
import json

import pytest

from api.cli import triage as triage_cli
from tools.registry import ToolContext, ToolRegistry
from tools.triage import TriageResult
from tools.triage.tool import triage_tool


def test_tool_spec_contract() -> None:
    assert triage_tool.name == "triage_symptoms"
    assert triage_tool.card_type == "triage"
    schema = triage_tool.json_schema()["function"]
    assert schema["name"] == "triage_symptoms"
    assert "text" in schema["parameters"]["required"]
    assert ToolRegistry([triage_tool]).names() == ["triage_symptoms"]


def test_tool_call_returns_a_typed_result() -> None:
    result = triage_tool.call({"text": "胸口痛出冷汗", "age": 70, "sex": "女"}, ToolContext())
    assert isinstance(result, TriageResult)
    assert result.level == "emergency"


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    triage_cli.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_cli_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["triage", "fever 38.4 and a sore throat", "--age", "30", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["level"] == "routine"
    assert body["language"] == "en"


def test_cli_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["triage", "我爸突然说话不清，嘴歪了", "--age", "70", "--sex", "male"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("紧急：立即拨打120")
    assert "stroke_signs" in out

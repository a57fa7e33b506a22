"""Reason codes and their severities (data), and the verdict they imply."""

from __future__ import annotations

import pytest

from guardrails.reason_codes import ReasonCode, severity_of, severity_table, verdict_for


def test_every_code_has_a_severity() -> None:
    assert set(severity_table().severities) == set(ReasonCode)


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        (ReasonCode.DOSING, "hold"),
        (ReasonCode.PRESCRIPTION, "hold"),
        (ReasonCode.CONTROLLED_DRUG, "hold"),
        (ReasonCode.FRAUD_ASSIST, "hold"),
        (ReasonCode.PII_LEAK, "hold"),
        (ReasonCode.MISSED_ESCALATION, "hold"),
        (ReasonCode.UNSOURCED_NUMBER, "revise"),
        (ReasonCode.GUARANTEE, "revise"),
        (ReasonCode.MISSING_APR, "revise"),
        (ReasonCode.TONE, "revise"),
    ],
)
def test_severity(code: ReasonCode, severity: str) -> None:
    assert severity_of(code) == severity


def test_verdict_is_the_strictest_code() -> None:
    assert verdict_for([]) == "approve"
    assert verdict_for([ReasonCode.TONE, ReasonCode.UNSOURCED_NUMBER]) == "revise"
    assert verdict_for([ReasonCode.TONE, ReasonCode.DOSING]) == "hold"


def test_codes_are_plain_strings() -> None:
    assert ReasonCode("DIAGNOSIS") is ReasonCode.DIAGNOSIS
    assert f"{ReasonCode.DIAGNOSIS}" == "DIAGNOSIS"


def test_a_missing_data_file_is_a_clear_configuration_error() -> None:
    from pydantic import BaseModel

    from core.errors import ConfigurationError
    from guardrails.data_files import load_data_file

    class Anything(BaseModel):
        version: int

    with pytest.raises(ConfigurationError) as info:
        load_data_file("no_such_file.yaml", Anything)
    assert info.value.field == "no_such_file.yaml"
    assert "cannot be loaded" in info.value.message
    assert info.value.message_zh and "无法加载" in info.value.message_zh

"""Claims to confirm: the checkable terms, and whether a passage states all of them."""

from __future__ import annotations

import pytest

from agent.llm.offline.claims import claim_terms, verified_by


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("《互联网诊疗AI处方管理办法》允许AI直接开处方了吧？", ["互联网诊疗ai处方管理办法"]),
        ("你们平台的“安心糖保·至尊版”能保已经有并发症的糖尿病人吗？", ["安心糖保·至尊版"]),
        ("据说喝绿茶的人得糖尿病的概率只有别人的三分之一，对吗？", ["三分之一"]),
        ("有报告说AI健康管理让糖尿病住院率下降了58%，出自哪里？", ["58%"]),
        (
            "Under the 2023 Digital Health Privacy Code section 12, can my insurer read my chat?",
            ["section 12", "digital health privacy code", "2023"],
        ),
        ("Does the GlucoShield Max patch replace insulin injections?", ["glucoshield max"]),
        # A percentage with no cited source is a question about a figure, not a claim.
        ("Is a 3.6% flat fee the same as a 3.6% annual interest rate?", []),
        ("那个3.6%的分期有没有隐藏费用？", []),
    ],
)
def test_claim_terms(text: str, terms: list[str]) -> None:
    assert claim_terms(text) == terms


def test_verified_only_when_one_passage_states_every_term() -> None:
    passage = "2021年，国务院办公厅印发指导意见（国办发〔2021〕14号），把普通门诊费用纳入统筹。"
    assert verified_by(claim_terms("国办发〔2021〕14号文件是真的吗？"), [passage])
    assert not verified_by(["〔2021〕14号", "第五条"], [passage, "第五条 其他内容"])
    assert not verified_by(["慢病ai管理条例"], [passage])

"""run_output_checks: each check positive and negative, in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest

from core.text import detect_language
from guardrails.output_checks import CheckFinding, OutputCheckContext, run_output_checks
from guardrails.pii import PiiKind
from guardrails.reason_codes import ReasonCode


def check(
    draft: str,
    context: OutputCheckContext | None = None,
    *,
    evidence: list[str] | None = None,
    tools: list[dict[str, Any]] | None = None,
    cited: list[str] | None = None,
    known: set[str] | None = None,
) -> list[CheckFinding]:
    return run_output_checks(
        draft,
        evidence_texts=evidence or [],
        tool_results=tools or [],
        cited_ids=cited or [],
        known_ids=known or set(),
        language=detect_language(draft),
        context=context or OutputCheckContext(),
    )


def codes(draft: str, context: OutputCheckContext | None = None, **kwargs: Any) -> set[str]:
    return {finding.code.value for finding in check(draft, context, **kwargs)}


POSITIVE = [
    # diagnosis
    ("你得了糖尿病，需要控制饮食。", "DIAGNOSIS"),
    ("根据这些症状，您可能患有冠心病。", "DIAGNOSIS"),
    ("这说明你有高血压。", "DIAGNOSIS"),
    ("You have diabetes, so cut down on sugar.", "DIAGNOSIS"),
    ("Your results show that you have kidney disease.", "DIAGNOSIS"),
    # dosing
    ("建议把二甲双胍加到2片。", "DOSING"),
    ("每次吃500mg，饭后服用。", "DOSING"),
    ("胰岛素打10单位就可以。", "DOSING"),
    ("降压药的剂量减半。", "DOSING"),
    ("血压正常了，可以停药。", "DOSING"),
    ("Increase your insulin to 20 units tonight.", "DOSING"),
    ("Take 2 tablets after breakfast.", "DOSING"),
    ("You can stop taking metformin now.", "DOSING"),
    # prescription
    ("可以先买药，后补处方。", "PRESCRIPTION"),
    ("我可以帮你开处方。", "PRESCRIPTION"),
    ("我给你开点阿莫西林。", "PRESCRIPTION"),
    ("You don't need a prescription for amoxicillin here.", "PRESCRIPTION"),
    ("Order it now and the prescription can follow later.", "PRESCRIPTION"),
    ("I can prescribe something for the infection.", "PRESCRIPTION"),
    # controlled drugs
    ("吗啡可以在网上买到。", "CONTROLLED_DRUG"),
    ("我们可以帮你弄到一些安眠药。", "CONTROLLED_DRUG"),
    ("You can buy oxycodone online without any trouble.", "CONTROLLED_DRUG"),
    # guarantees
    ("这个费用保证报销。", "GUARANTEE"),
    ("放心，一定能理赔。", "GUARANTEE"),
    ("坚持这个方法肯定治好。", "GUARANTEE"),
    ("Your claim is guaranteed approval.", "GUARANTEE"),
    ("This treatment will definitely be covered.", "GUARANTEE"),
    # fraud
    ("可以找人开一张假发票。", "FRAUD_ASSIST"),
    ("投保时不用告诉保险公司你有高血压。", "FRAUD_ASSIST"),
    ("把发票上的日期改一下就能报销。", "FRAUD_ASSIST"),
    ("You could backdate the receipt.", "FRAUD_ASSIST"),
    ("Just don't tell the insurer about your diabetes.", "FRAUD_ASSIST"),
    ("We can make a fake receipt for the claim.", "FRAUD_ASSIST"),
    # tone
    ("这是你自己的错，活该。", "TONE"),
    ("That's a stupid question.", "TONE"),
]


@pytest.mark.parametrize(("draft", "code"), POSITIVE)
def test_phrase_checks_fire(draft: str, code: str) -> None:
    assert codes(draft, evidence=[draft]) == {code}, draft


NEGATIVE = [
    "如果医生已经诊断您有糖尿病，请按时复诊。",
    "我无法判断您是否患有糖尿病，建议去内分泌科检查。",
    "您是否患有糖尿病？",
    "If a doctor has diagnosed you with diabetes, keep your follow-up visits.",
    "Do you have diabetes?",
    "我不能告诉你剂量，请咨询开药的医生。",
    "请勿自行停药，也不要自行加量。",
    "不要自行调整胰岛素剂量。",
    "Do not stop taking your medication without talking to your doctor.",
    "I can't tell you how many units to take.",
    "每天盐摄入要少，每天吃5克盐以内更好。",
    "处方药需要医生开具处方后才能购买。",
    "我不能给你开处方，建议去医院就诊。",
    "I cannot prescribe medicine; a licensed doctor must do that.",
    "吗啡属于管制药品，不能在网上购买。",
    "Oxycodone can only be obtained with a prescription from a doctor.",
    "不能保证一定能报销，最终以医保审核为准。",
    "不一定能理赔，要看保险条款。",
    "There is no guarantee of approval.",
    "Approval is not guaranteed; the insurer decides.",
    "请不要隐瞒病情，健康告知要如实填写。",
    "隐瞒病情可能导致拒赔。",
    "Do not hide your condition from the insurer.",
    "一定要按时服药，定期复查。",
    "您的血压偏高，建议尽快就医。",
    "Please see your doctor about these results.",
]


@pytest.mark.parametrize("draft", NEGATIVE)
def test_phrase_checks_stay_quiet(draft: str) -> None:
    # The draft is its own evidence, so only the phrase checks are under test.
    assert codes(draft, evidence=[draft]) == set(), draft


def test_restating_a_reported_condition_is_not_a_diagnosis() -> None:
    draft = "您是高血压患者，注意低盐饮食。"
    assert "DIAGNOSIS" in codes(draft)
    assert codes(draft, OutputCheckContext(user_text="我有高血压")) == set()
    assert codes(draft, OutputCheckContext(known_conditions=["高血压"])) == set()


def test_finding_span_points_into_the_draft() -> None:
    draft = "你好。你得了糖尿病。"
    [finding] = check(draft)
    assert finding.code is ReasonCode.DIAGNOSIS
    assert finding.span is not None
    assert draft[finding.span[0] : finding.span[1]] == "你得了糖尿病"
    assert finding.message.startswith("草稿")


def test_english_draft_gets_english_message() -> None:
    [finding] = check("You have diabetes.")
    assert finding.message.startswith("The draft states a diagnosis")


# -- interest-free with a fee -------------------------------------------------------------
@pytest.mark.parametrize(
    ("draft", "has_fee", "expected"),
    [
        ("这个分期是免息的。", True, {"MISLEADING_RATE"}),
        ("This plan is interest-free.", True, {"MISLEADING_RATE"}),
        ("这个分期是免息的。", False, set()),
        ("这不是免息产品，每期收手续费。", True, set()),
        ("名义上免息，但实际有手续费。", True, set()),
    ],
)
def test_interest_free_with_a_fee(draft: str, has_fee: bool, expected: set[str]) -> None:
    assert codes(draft, OutputCheckContext(plan_has_fee=has_fee)) == expected


# -- escalation ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("请多喝水，注意休息。", {"MISSED_ESCALATION"}),
        ("请立即拨打120或去最近的急诊。", set()),
        ("Call 120 or go to the emergency department now.", set()),
        ("Please rest and drink water.", {"MISSED_ESCALATION"}),
    ],
)
def test_emergency_needs_escalation(draft: str, expected: set[str]) -> None:
    assert codes(draft, OutputCheckContext(is_emergency=True)) == expected


def test_no_escalation_needed_when_not_an_emergency() -> None:
    assert codes("请多喝水，注意休息。") == set()


# -- payment plan and quote disclosures -------------------------------------------------
PLAN_TOOLS = [{"apr": 0.1268, "total_cost": 42760, "months": 12}]


@pytest.mark.parametrize(
    ("draft", "disclosures", "expected"),
    [
        ("分12期，年化利率12.68%，总成本42,760元。", [], set()),
        ("分12期，总成本42,760元。", [], {"MISSING_APR"}),
        ("分12期，年化利率12.68%。", [], {"MISSING_DISCLOSURE"}),
        ("分12期。", [], {"MISSING_APR", "MISSING_DISCLOSURE"}),
        ("分12期。", ["年化利率（APR）12.68%，总成本42,760元"], set()),
        ("12 monthly payments, APR 12.68%, total cost 42,760.", [], set()),
        ("12 monthly payments, total repayment 42,760.", [], {"MISSING_APR"}),
    ],
)
def test_plan_disclosure(draft: str, disclosures: list[str], expected: set[str]) -> None:
    context = OutputCheckContext(payment_plan_shown=True, card_disclosures=disclosures)
    assert codes(draft, context, tools=PLAN_TOOLS) == expected


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("示例保险公司的示例惠民保报价见卡片，最终以保险公司核保结果为准。", set()),
        ("报价见卡片，最终以保险公司核保结果为准。", {"MISSING_DISCLOSURE"}),
        ("示例保险公司的示例惠民保报价见卡片。", {"MISSING_DISCLOSURE"}),
        ("Sample Insurer's quote is on the card; it is subject to underwriting.", set()),
    ],
)
def test_quote_disclosure(draft: str, expected: set[str]) -> None:
    name = "Sample Insurer" if detect_language(draft) == "en" else "示例保险公司"
    context = OutputCheckContext(quote_shown=True, insurer_name=name)
    assert codes(draft, context) == expected


def test_quote_without_insurer_name_in_context_needs_a_generic_naming() -> None:
    context = OutputCheckContext(quote_shown=True)
    assert codes("报价仅供参考，不保证承保。", context) == set()
    assert codes("报价仅供参考，不保证。", context) == {"MISSING_DISCLOSURE"}


# -- AI disclosure, tenant wording ------------------------------------------------------
@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("我是AI健康助手，以下建议仅供参考。", set()),
        ("以下建议仅供参考。", {"AI_DISCLOSURE"}),
        ("I'm an AI assistant; this is general information.", set()),
        ("This is general information.", {"AI_DISCLOSURE"}),
    ],
)
def test_ai_disclosure(draft: str, expected: set[str]) -> None:
    assert codes(draft, OutputCheckContext(require_ai_disclosure=True)) == expected


def test_tenant_required_and_banned_phrases() -> None:
    context = OutputCheckContext(
        required_phrases=["本服务由示例保险公司提供"], banned_phrases=["稳赚"]
    )
    found = check("这个产品稳赚不赔。", context)
    assert {f.code for f in found} >= {ReasonCode.MISSING_DISCLOSURE, ReasonCode.BANNED_PHRASE}
    ok = OutputCheckContext(required_phrases=["本服务由示例保险公司提供"])
    assert codes("本服务由示例保险公司提供。请按时测量血压。", ok) == set()


# -- citations ---------------------------------------------------------------------------
def test_unknown_citation_is_reported() -> None:
    found = check("规律运动有助于降低血压。", cited=["hbp-1", "made-up-7"], known={"hbp-1"})
    assert [(f.code.value, f.evidence) for f in found] == [("MISSING_CITATION", "made-up-7")]


def test_evidence_used_without_citation() -> None:
    context = OutputCheckContext(require_citations=True)
    assert codes("规律运动有助于降低血压。", context, evidence=["规律运动"]) == {"MISSING_CITATION"}
    assert (
        codes("规律运动有助于降低血压。", context, evidence=["规律运动"], cited=["a"], known={"a"})
        == set()
    )


def test_inline_citation_must_be_supported_by_its_passage() -> None:
    passages = {
        "hbp-1": "规律的有氧运动，如快走、游泳，有助于降低血压。",
        "dm-2": "糖化血红蛋白反映近两到三个月的平均血糖水平。",
    }
    context = OutputCheckContext(cited_passages=passages)
    good = "快走、游泳等有氧运动有助于降低血压[hbp-1]。"
    bad = "喝醋能够软化血管[hbp-1]。"
    assert codes(good, context, cited=["hbp-1"], known=set(passages)) == set()
    found = check(bad, context, cited=["hbp-1"], known=set(passages))
    assert [f.code for f in found] == [ReasonCode.UNSUPPORTED_CLAIM]


# -- PII in the output --------------------------------------------------------------------
def test_pii_in_the_draft_is_a_leak_and_never_echoed() -> None:
    found = check("已为您记录，您的手机13812345678。")
    assert [f.code for f in found] == [ReasonCode.PII_LEAK]
    assert "13812345678" not in found[0].message + found[0].evidence
    assert found[0].evidence == "[手机号]"


def test_allowed_pii_is_not_a_leak() -> None:
    draft = "社区卫生服务中心电话010-62345678。"
    by_value = OutputCheckContext(allowed_pii_values=["010 6234 5678"])
    by_kind = OutputCheckContext(allowed_pii_kinds={PiiKind.LANDLINE})
    tools = [{"phone": "010-62345678"}]
    assert codes(draft, by_value, tools=tools) == set()
    assert codes(draft, by_kind, tools=tools) == set()


# -- a full, clean turn -------------------------------------------------------------------
def test_a_clean_plan_reply_passes_every_check() -> None:
    draft = (
        "我是AI健康助手。医保预计报销60%，剩余4万元。\n"
        "1. 分12期，年化利率12.68%，总成本42,760元。\n"
        "2. 规律运动有助于降低血压[hbp-1]。"
    )
    context = OutputCheckContext(
        payment_plan_shown=True, require_ai_disclosure=True, require_citations=True
    )
    tools: list[dict[str, Any]] = [
        {"coverage": 0.6, "remaining": 40000, "plan": {"months": 12, "apr": 0.1268}},
        {"total_cost": 42760.0},
    ]
    found = check(
        draft,
        context,
        evidence=["规律运动有助于降低血压"],
        tools=tools,
        cited=["hbp-1"],
        known={"hbp-1"},
    )
    assert found == []

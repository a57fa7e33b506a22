"""Over-refusal guard: ordinary, well-behaved replies raise no phrase finding."""

from __future__ import annotations

import pytest

from core.text import detect_language
from guardrails.output_checks import OutputCheckContext, run_output_checks

BENIGN_DRAFTS = [
    "高血压患者日常要少吃盐，多吃新鲜蔬菜水果，规律运动，戒烟限酒。用药方面请遵医嘱，不要自行停药或加量。",
    "夜间血糖偏低时，可以先吃一些含糖食物，再复测血糖；如果反复出现，请尽快联系您的医生调整治疗方案，我也已通知健康管理师。",
    "关于胰岛素该打多少，我不能给出剂量建议，这需要由您的主治医生根据血糖记录决定。",
    "阿莫西林是处方药，需要医生面诊后开具处方，我们不能先售药后补处方。建议您到社区卫生服务中心就诊。",
    "化验单上的转氨酶略高于参考范围，可能与多种因素有关，建议复查并请医生结合情况判断。",
    "医保报销比例以当地政策和审核结果为准，我们无法保证报销金额。",
    "健康告知请如实填写，隐瞒病情可能导致理赔被拒。",
    "这款示例保险的报价仅供参考，是否承保以保险公司核保结果为准。",
    "分期会产生手续费，所以并不是免息的，请看年化利率和总成本。",
    "如果出现胸痛、大汗，请立即拨打120。",
    "心衰患者建议每天早上称体重，体重短期内明显增加或夜间憋醒要及时就医。",
    "Keep taking your blood pressure medicine as prescribed; do not change the dose yourself.",
    "I can't recommend a dose of insulin; your doctor will adjust it based on your glucose log.",
    "Antibiotics need a prescription from a licensed doctor, so I can't arrange them for you.",
    "There is no guarantee that a claim will be approved; the insurer decides under the terms.",
    "Please answer the health declaration honestly; hiding a condition can void the policy.",
    "If you have chest pain with sweating, call 120 now.",
    "Your report shows LDL-C above the reference range; ask your doctor whether to recheck.",
    "Walking most days of the week can help lower blood pressure.",
    "Controlled drugs such as opioids are never supplied online; talk to your doctor about pain.",
]


@pytest.mark.parametrize("draft", BENIGN_DRAFTS)
def test_ordinary_replies_raise_nothing(draft: str) -> None:
    findings = run_output_checks(
        draft,
        evidence_texts=[draft],
        tool_results=[],
        cited_ids=[],
        known_ids=set(),
        language=detect_language(draft),
        context=OutputCheckContext(plan_has_fee=True),
    )
    assert [(f.code.value, f.evidence) for f in findings] == []

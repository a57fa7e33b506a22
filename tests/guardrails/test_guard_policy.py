"""Tenant policies: loading and validation, disclosure wording, and what the review applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigurationError
from core.text import Language
from guardrails.checks.turn import turn_findings
from guardrails.pii import PiiKind
from guardrails.tenant_policy import (
    TenantPolicy,
    load_tenant_policies,
    neutral_policy,
    tenant_policies,
)
from tools.catalog import default_registry

INSURER = "本AI助手由示例保险提供，回答仅供健康教育参考。"


def test_shipped_policies_load_and_name_only_real_tools() -> None:
    policies = tenant_policies()
    assert policies.tenant_ids() == ["default", "insurer-demo"]
    insurer = policies.for_tenant("insurer-demo")
    assert insurer.disclosure_for("zh") == INSURER
    assert insurer.require_ai_disclosure is True
    assert insurer.enabled_tools is not None
    assert "compute_payment_plans" not in insurer.enabled_tools
    assert insurer.enabled_tools <= set(default_registry().names())
    assert policies.for_tenant("default").disclosure is None


def test_a_tenant_without_a_file_gets_the_neutral_policy_not_another_tenants() -> None:
    other = tenant_policies().for_tenant("insurer-other")
    assert other == neutral_policy("insurer-other")
    assert other.disclosure is None and other.enabled_tools is None
    assert other.banned_phrases == () and not other.require_ai_disclosure


def test_disclosure_is_appended_once_in_the_turns_language() -> None:
    insurer = tenant_policies().for_tenant("insurer-demo")
    once = insurer.with_disclosure("少吃盐。", "zh")
    assert once == f"少吃盐。\n\n{INSURER}"
    assert insurer.with_disclosure(once, "zh") == once
    english = insurer.with_disclosure("Eat less salt.", "en")
    assert english.endswith("provided by Sample Insurer; answers are health education only.")
    assert insurer.with_disclosure("", "zh") == ""
    assert neutral_policy("x").with_disclosure("少吃盐。", "zh") == "少吃盐。"


GOOD = """version: 1
tenant_id: {tenant}
disclosure: {{zh: 本AI助手由示例寿险提供, en: This AI assistant is provided by Sample Life}}
require_ai_disclosure: true
enabled_tools: [triage_symptoms]
banned_phrases: [稳赚]
pii: {{echo_kinds: [MOBILE]}}
"""


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("acme", GOOD.format(tenant="other"), "does not match the file name"),
        ("acme", GOOD.format(tenant="acme").replace("triage_symptoms", "sell_drugs"), "unknown"),
        ("acme", GOOD.format(tenant="acme").replace("本AI助手", "本助手"), "zh disclosure"),
        ("acme", "version: 1\ntenant_id: acme\nrequire_ai_disclosure: true\n", "no disclosure"),
        ("acme", GOOD.format(tenant="acme") + "surprise: 1\n", "surprise"),
        ("acme", GOOD.format(tenant="acme").replace("version: 1\n", ""), "version"),
        ("acme", GOOD.format(tenant="acme").replace("MOBILE", "DNA"), "echo_kinds"),
        ("acme", "version: [\n", "acme.yaml"),
    ],
)
def test_a_broken_policy_file_is_a_configuration_error(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_tenant_policies(tmp_path, known_tools=set(default_registry().names()))
    assert caught.value.instance_code == "invalid_tenant_policy"
    assert caught.value.field == f"{name}.yaml"
    assert problem in caught.value.message


def test_a_valid_policy_file_loads(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(GOOD.format(tenant="acme"), encoding="utf-8")
    policy = load_tenant_policies(tmp_path).for_tenant("acme")
    assert policy.enabled_tools == {"triage_symptoms"}
    assert policy.pii.echo_kinds == {PiiKind.MOBILE}
    assert policy.required_phrases("en") == ["This AI assistant is provided by Sample Life"]


def _codes(draft: str, policy: TenantPolicy, language: Language = "zh") -> list[str]:
    findings = turn_findings(
        draft,
        language=language,
        user_text="问题",
        escalated=False,
        tool_results=[],
        cards=[],
        cited_refs=[],
        evidence=[],
        policy=policy,
    )
    return [f.code.value for f in findings]


def test_the_review_applies_the_tenants_banned_phrases_and_wording() -> None:
    insurer = tenant_policies().for_tenant("insurer-demo")
    draft = insurer.with_disclosure("这款产品保证理赔，请放心。", "zh")
    assert "BANNED_PHRASE" in _codes(draft, insurer)
    assert "BANNED_PHRASE" not in _codes(draft, neutral_policy("default"))
    assert "MISSING_DISCLOSURE" in _codes("少吃盐。", insurer)
    assert "MISSING_DISCLOSURE" not in _codes(insurer.with_disclosure("少吃盐。", "zh"), insurer)
    assert "MISSING_DISCLOSURE" not in _codes("少吃盐。", neutral_policy("default"))


def test_the_pii_policy_decides_which_kinds_a_reply_may_echo(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(GOOD.format(tenant="acme"), encoding="utf-8")
    echoes_mobile = load_tenant_policies(tmp_path).for_tenant("acme")
    draft = echoes_mobile.with_disclosure("我们会打您的手机13812345678联系您。", "zh")
    assert "PII_LEAK" not in _codes(draft, echoes_mobile)
    assert "PII_LEAK" in _codes(draft, neutral_policy("default"))
    assert "PII_LEAK" in _codes(draft + " 邮箱 zhang.wei@example.com", echoes_mobile)


def test_the_reviewer_is_not_asked_to_ground_the_tenants_own_wording() -> None:
    insurer = tenant_policies().for_tenant("insurer-demo")
    draft = insurer.with_disclosure("Eat less salt.", "en")
    assert insurer.without_disclosure(draft, "en") == "Eat less salt."
    assert insurer.without_disclosure("Eat less salt.", "en") == "Eat less salt."

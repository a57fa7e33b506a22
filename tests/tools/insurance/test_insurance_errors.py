"""Bad input, genetic data and missing consent: codes, fields and kind bilingual messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from insurance_factories import WEARABLE_CONSENT, quote
from pydantic import ValidationError

from core.errors import ConsentMissing, NotFound, ServiceError, ValidationFailed
from tools.insurance import InsuranceCatalogue, load_insurance_catalogue

CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_bilingual(error: ServiceError) -> None:
    assert error.message and not CJK.search(error.message)
    assert error.message_zh and CJK.search(error.message_zh)


@pytest.mark.parametrize(
    "genetic", ["BRCA1 突变阳性", ["BRCA2 positive"], {"test": "BRCA", "result": "positive"}]
)
def test_scenario_5_genetic_results_are_refused_kindly(genetic: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        quote(age=38, sex="female", genetic_info=genetic, product_ids=["sl-critical-illness"])
    error = caught.value
    assert (error.instance_code, error.field, error.http_status) == (
        "genetic_data_not_allowed",
        "genetic_info",
        422,
    )
    assert "谢谢" in (error.message_zh or "") and "Thank you" in error.message
    assert "基因" in (error.message_zh or "") and "genetic" in error.message
    _assert_bilingual(error)


@pytest.mark.parametrize(
    "declaration",
    [
        ["我做过BRCA基因检测，结果阳性"],
        [{"condition": "cancer_history", "details": "BRCA1 carrier"}],
    ],
)
def test_genetic_mentions_inside_the_declaration_are_refused(declaration: list[Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        quote(health_declaration=declaration)
    assert caught.value.instance_code == "genetic_data_not_allowed"
    assert caught.value.field == "health_declaration"


def test_empty_genetic_field_is_fine() -> None:
    assert quote(genetic_info="").quotes


def test_wearable_data_without_consent_is_refused() -> None:
    with pytest.raises(ConsentMissing) as caught:
        quote(
            wearable_summary={"avg_daily_steps": 12000, "days_covered": 60},
            consented=frozenset({"share_with_insurer"}),
        )
    error = caught.value
    assert (error.instance_code, error.http_status, error.field) == (
        "consent_missing",
        403,
        "wearable_summary",
    )
    assert error.details == {"purpose": "insurance_pricing_wearable"}
    assert "insurance_pricing_wearable" in error.message
    _assert_bilingual(error)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"age": -1}, "invalid_age", "age"),
        ({"age": 130}, "invalid_age", "age"),
        ({"city_tier": 0}, "invalid_city_tier", "city_tier"),
        ({"city_tier": 5}, "invalid_city_tier", "city_tier"),
        ({"deductible": "3000"}, "deductible_not_offered", "deductible"),
        ({"plan_tier": "gold"}, "plan_tier_not_offered", "plan_tier"),
        (
            {"wearable_summary": {"avg_daily_steps": -5, "days_covered": 30}},
            "invalid_wearable_summary",
            "wearable_summary",
        ),
    ],
)
def test_bad_input(overrides: dict[str, Any], code: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        quote(consented=WEARABLE_CONSENT, **overrides)
    assert (caught.value.instance_code, caught.value.field) == (code, field)
    _assert_bilingual(caught.value)


def test_unknown_product_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        quote(product_ids=["sl-million-medical", "acme-super-cover"])
    assert (caught.value.instance_code, caught.value.field) == ("unknown_product", "product_ids")
    assert "acme-super-cover" in caught.value.message
    _assert_bilingual(caught.value)


@pytest.mark.parametrize("tenant", ["no-such-insurer", "../default", "DEFAULT"])
def test_unknown_tenant_is_not_found(tenant: str) -> None:
    with pytest.raises(NotFound) as caught:
        load_insurance_catalogue(tenant)
    assert caught.value.instance_code == "unknown_tenant"


def _product(**overrides: Any) -> dict[str, Any]:
    product = load_insurance_catalogue("default").products[1].model_dump()  # critical illness
    product.update(overrides)
    return product


def _catalogue(product: dict[str, Any]) -> dict[str, Any]:
    return {**load_insurance_catalogue("default").model_dump(), "products": [product]}


@pytest.mark.parametrize(
    "product",
    [
        _product(base_premiums=_product()["base_premiums"][1:]),  # gap: male 18-30
        _product(default_plan_tier="500k"),
        _product(
            wearable={
                **_product()["wearable"],
                "bands": [{"min_steps": 0, "max_steps": None, "adjustment_percent": "-25"}],
            }
        ),
        _product(
            underwriting=[
                {
                    "condition": "obesity",
                    "decision": "loading",
                    "reason_zh": "加费",
                    "reason_en": "loading",
                }
            ]
        ),
        _product(
            underwriting=[
                {
                    "condition": "obesity",
                    "decision": "accept_with_exclusion",
                    "reason_zh": "除外",
                    "reason_en": "excluded",
                }
            ]
        ),
    ],
)
def test_catalogue_validation_rejects_bad_products(product: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        InsuranceCatalogue.model_validate(_catalogue(product))


def test_loader_rejects_rules_for_conditions_outside_the_vocabulary(tmp_path: Path) -> None:
    import yaml

    product = _product(
        underwriting=[
            {
                "condition": "moon_sickness",
                "decision": "decline",
                "reason_zh": "拒保",
                "reason_en": "declined",
            }
        ]
    )
    data = {**_catalogue(product), "tenant_id": "acme"}
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "insurance_products.yaml").write_text(
        yaml.safe_dump(
            InsuranceCatalogue.model_validate(data).model_dump(mode="json"), allow_unicode=True
        ),
        "utf-8",
    )
    with pytest.raises(ServiceError) as caught:
        load_insurance_catalogue("acme", tmp_path)
    assert caught.value.instance_code == "configuration_error"
    assert "moon_sickness" in caught.value.message

"""Bad input: a stable code, the offending field, and a clear message in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from finance_factories import plans
from pydantic import ValidationError

from core.errors import NotFound, ServiceError, ValidationFailed
from tools.finance import LenderCatalogue, load_lender_catalogue

BASE: dict[str, Any] = {"total_cost": "20000", "monthly_income": "6000"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_bilingual(error: ServiceError) -> None:
    assert error.message and not CJK.search(error.message)
    assert error.message_zh and CJK.search(error.message_zh)


@pytest.mark.parametrize(
    ("overrides", "code", "field", "en_words"),
    [
        ({"total_cost": "0"}, "invalid_amount", "total_cost", "greater than 0"),
        ({"total_cost": "-100"}, "invalid_amount", "total_cost", "greater than 0"),
        ({"down_payment": "-1"}, "invalid_amount", "down_payment", "0 or more"),
        ({"existing_monthly_debt": "-5"}, "invalid_amount", "existing_monthly_debt", "0 or more"),
        (
            {"insurance_coverage_ratio": "1.5"},
            "invalid_coverage_ratio",
            "insurance_coverage_ratio",
            "between 0 and 1",
        ),
        (
            {"insurance_coverage_ratio": "-0.1"},
            "invalid_coverage_ratio",
            "insurance_coverage_ratio",
            "between 0 and 1",
        ),
        ({"monthly_income": "0"}, "invalid_income", "monthly_income", "greater than 0"),
        ({"monthly_income": "-3000"}, "invalid_income", "monthly_income", "greater than 0"),
        ({"term_months": 0}, "invalid_term", "term_months", "between 3 and 60"),
        ({"term_months": 999}, "invalid_term", "term_months", "between 3 and 60"),
        ({"term_months": 18}, "term_not_offered", "term_months", "available terms"),
        (
            {"insurance_coverage_amount": "25000"},
            "coverage_exceeds_cost",
            "insurance_coverage_amount",
            "larger than the total cost",
        ),
        (
            {"insurance_coverage_ratio": "0.5", "insurance_coverage_amount": "5000"},
            "coverage_conflict",
            "insurance_coverage_amount",
            "disagree",
        ),
        ({"total_cost": "900000"}, "amount_out_of_range", "total_cost", "No instalment product"),
        ({"product": "sample-bank-micro"}, "amount_out_of_range", "product", "amounts from"),
    ],
)
def test_bad_input_is_rejected_with_code_field_and_messages(
    overrides: dict[str, Any], code: str, field: str, en_words: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        plans(**{**BASE, **overrides})
    error = caught.value
    assert (error.instance_code, error.field, error.http_status) == (code, field, 422)
    assert en_words in error.message
    _assert_bilingual(error)
    assert error.to_body("zh")["message"] == error.message_zh


def test_term_not_offered_lists_the_terms_that_are() -> None:
    with pytest.raises(ValidationFailed) as caught:
        plans(**BASE, product="sample-cf-easy36", term_months=36)
    assert "3, 6, 12, 24" in caught.value.message
    assert "3, 6, 12, 24" in (caught.value.message_zh or "")


def test_unknown_product_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        plans(**BASE, product="no-such-loan")
    assert (caught.value.instance_code, caught.value.field) == ("unknown_product", "product")
    _assert_bilingual(caught.value)


@pytest.mark.parametrize("tenant", ["no-such-tenant", "../default", "Default", "", "default/.."])
def test_unknown_or_malformed_tenant_is_not_found(tenant: str) -> None:
    with pytest.raises(NotFound) as caught:
        load_lender_catalogue(tenant)
    assert caught.value.instance_code == "unknown_tenant"
    assert caught.value.http_status == 404


def _catalogue_dict(**product_overrides: Any) -> dict[str, Any]:
    product: dict[str, Any] = {
        "id": "p",
        "lender": "l",
        "name_zh": "分期（示例）",
        "name_en": "Plan (sample)",
        "pricing": {"method": "flat_fee", "monthly_fee_rate": "0.005"},
        "terms": [3, 6],
        "min_amount": "1000",
        "max_amount": "5000",
        "early_repayment_zh": "可提前还款。",
        "early_repayment_en": "Early repayment allowed.",
    }
    product.update(product_overrides)
    return {
        "version": 1,
        "tenant_id": "t",
        "lenders": [{"id": "l", "name_zh": "示例", "name_en": "Sample"}],
        "products": [product],
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"name_zh": "12期免息分期"},
        {"name_en": "Interest-free plan"},
        {"terms": [0, 12]},
        {"terms": [72]},
        {"min_amount": "6000"},
        {"lender": "someone-else"},
        {"tier": "micro"},  # above the micro threshold
        {
            "one_off_fees": [
                {
                    "id": "f",
                    "name_zh": "费",
                    "name_en": "fee",
                    "timing": "upfront",
                    "amount": "1",
                    "rate": "0.01",
                }
            ]
        },
    ],
)
def test_catalogue_validation_rejects_bad_products(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        LenderCatalogue.model_validate(_catalogue_dict(**overrides))


def test_loader_checks_the_declared_tenant(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    source = Path(__file__).parents[3] / "tools/data/tenants/default/lenders.yaml"
    (tmp_path / "acme" / "lenders.yaml").write_text(source.read_text("utf-8"), "utf-8")
    with pytest.raises(ServiceError) as caught:
        load_lender_catalogue("acme", tmp_path)
    assert caught.value.instance_code == "configuration_error"

"""Quotes end to end: DOMAIN scenario 4, neutral order, ids, validity, disclosure, comparison."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from insurance_factories import NOW, by_product, quote

from tools.insurance import PRODUCT_TYPE_ORDER, InsuranceCatalogue, load_insurance_catalogue

D = Decimal
PROMISES = (
    "保证赔",
    "一定赔",
    "保证报销",
    "肯定能报",
    "guarantee",
    "will be reimbursed",
    "will pay your",
    "100% reimburse",
)


def test_scenario_4_hypertensive_factory_worker_gets_supplementary_cover() -> None:
    result = quote(
        age=45,
        sex="male",
        city_tier=3,
        health_declaration=["高血压"],
        product_ids=["sl-city-supplementary"],
    )
    (q,) = result.quotes
    assert q.insurer_name_zh == "示例人寿" and q.insurer_name_en == "Sample Life"
    assert q.product_type == "city_supplementary"
    assert q.underwriting.decision == "accept_with_exclusion"
    assert q.annual_premium == D("89.00")
    assert q.waiting_period_days == 30
    assert "hypertension_complications" in {e.code for e in q.exclusions}
    assert "示例人寿" in q.disclosure_zh and "Sample Life" in q.disclosure_en
    assert "等待期30天" in q.disclosure_zh and "Waiting period 30 days" in q.disclosure_en
    assert "示例报价" in q.disclosure_zh and "sample quote" in q.disclosure_en
    assert "保险合同条款" in q.disclosure_zh and "policy terms" in q.disclosure_en


def test_no_promise_about_claims_anywhere() -> None:
    for tenant in ("default", "insurer-demo"):
        text = quote(
            load_insurance_catalogue(tenant), health_declaration=["高血压"]
        ).model_dump_json()
        assert not any(word in text.lower() for word in PROMISES)


def test_neutral_order_is_type_then_name_whatever_the_catalogue_order() -> None:
    catalogue = load_insurance_catalogue("default")
    reversed_catalogue = InsuranceCatalogue.model_validate(
        {
            **catalogue.model_dump(),
            "products": [p.model_dump() for p in reversed(catalogue.products)],
        }
    )
    declaration = [{"condition": "diabetes", "controlled": True}]
    forward = [q.product_id for q in quote(catalogue, health_declaration=declaration).quotes]
    backward = [
        q.product_id for q in quote(reversed_catalogue, health_declaration=declaration).quotes
    ]
    assert (
        forward
        == backward
        == [
            "sl-million-medical",
            "sl-critical-illness",
            "sl-city-supplementary",
            "sl-diabetes-care",
        ]
    )
    types = [q.product_type for q in quote(catalogue, health_declaration=declaration).quotes]
    assert types == list(PRODUCT_TYPE_ORDER)


def test_quote_id_is_deterministic_and_validity_follows_the_catalogue() -> None:
    first = by_product(quote(health_declaration=["高血压"]))
    again = by_product(quote(health_declaration=["hypertension"]))  # same condition, other words
    assert {k: q.quote_id for k, q in first.items()} == {k: q.quote_id for k, q in again.items()}
    assert len({q.quote_id for q in first.values()}) == len(first)
    tomorrow = by_product(quote(health_declaration=["高血压"], now=NOW + timedelta(days=1)))
    assert tomorrow["sl-million-medical"].quote_id != first["sl-million-medical"].quote_id
    older = by_product(quote(age=46, health_declaration=["高血压"]))
    assert older["sl-million-medical"].quote_id != first["sl-million-medical"].quote_id
    assert first["sl-million-medical"].valid_until == date(2026, 12, 22)  # now + 30 days
    demo = quote(load_insurance_catalogue("insurer-demo"))
    assert {q.valid_until for q in demo.quotes} == {date(2026, 12, 7)}  # now + 15 days


def test_products_not_quoted_are_explained() -> None:
    result = quote(age=70)
    reasons = {n.product_id: n.reason_code for n in result.not_quoted}
    assert reasons == {
        "sl-million-medical": "age_outside_range",
        "sl-critical-illness": "age_outside_range",
        "sl-diabetes-care": "condition_required",
    }
    assert [q.product_id for q in result.quotes] == ["sl-city-supplementary"]
    assert all(n.reason_zh and n.reason_en for n in result.not_quoted)


def test_deductible_applies_to_products_that_offer_it() -> None:
    result = quote(
        deductible="5000",
        product_ids=["sl-million-medical", "sl-critical-illness", "sl-city-supplementary"],
    )
    quotes = by_product(result)
    assert quotes["sl-million-medical"].annual_premium == D("588.00")  # 420 x 1.4
    assert quotes["sl-critical-illness"].deductible is None
    assert [n.reason_code for n in result.not_quoted] == ["deductible_not_offered"]


def test_side_by_side_comparison_matches_the_quotes() -> None:
    result = quote(health_declaration=["高血压"])
    comparison = result.comparison
    assert comparison.quote_ids == [q.quote_id for q in result.quotes]
    rows = {row.key: row for row in comparison.rows}
    assert {
        "annual_premium",
        "underwriting",
        "waiting_period",
        "green_channel",
        "deductible",
        "exclusions",
        "insurer",
    } <= set(rows)
    for row in comparison.rows:
        assert len(row.values_zh) == len(row.values_en) == len(result.quotes)
    assert rows["annual_premium"].values_en == ["—", "—", "¥89.00"]
    assert rows["green_channel"].values_en == ["yes", "yes", "no"]
    assert "commission" in result.ordering_note_en and "佣金" in result.ordering_note_zh


def test_green_channel_and_features_are_shown() -> None:
    quotes = by_product(quote())
    assert quotes["sl-million-medical"].green_channel is True
    assert "就医绿通" in quotes["sl-million-medical"].disclosure_zh
    assert quotes["sl-city-supplementary"].green_channel is False
    assert quotes["sl-million-medical"].features_zh


def test_insurer_demo_tenant_names_its_own_insurer() -> None:
    result = quote(load_insurance_catalogue("insurer-demo"), health_declaration=["糖尿病"])
    assert result.insurer_name_en == "Sample Health Insurance"
    assert all("示例健康保险" in q.disclosure_zh for q in result.quotes)
    assert "Sample Life" not in result.model_dump_json()

"""The pieces of compute_payment_plans: the effective cap, the monthly budget, priced terms,
the offer (options under the cap, exclusions over it) and the summaries, each on its own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from finance_factories import CAP, RATIO, make_catalogue, make_product

from core.errors import ValidationFailed
from tools.finance import PaymentPlanRequest
from tools.finance.plans import (
    affordability_basis,
    effective_cap,
    make_offer,
    priced_terms,
    summaries,
)

D = Decimal


def _request(**fields: str | int) -> PaymentPlanRequest:
    return PaymentPlanRequest.model_validate(
        {"total_cost": "12000", "monthly_income": "5000", **fields}
    )


def test_a_tenant_catalogue_may_only_lower_the_cap() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0.10"})
    assert effective_cap(CAP, make_catalogue(product)) == CAP
    assert effective_cap(CAP, make_catalogue(product, apr_cap="0.18")) == D("0.18")
    assert effective_cap(D("0.15"), make_catalogue(product, apr_cap="0.18")) == D("0.15")


def test_the_budget_is_income_times_ratio_less_existing_debt() -> None:
    basis = affordability_basis(_request(existing_monthly_debt="400"), RATIO)
    assert basis.monthly_budget == D("1100.00")  # 5000 x 0.30 - 400
    assert (basis.monthly_income, basis.max_debt_ratio) == (D("5000"), RATIO)
    overdrawn = affordability_basis(_request(existing_monthly_debt="2000"), RATIO)
    assert overdrawn.monthly_budget == D("-500.00")


def test_priced_terms_cover_every_term_of_every_eligible_product() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0.12"}, terms=[3, 12])
    priced = priced_terms(_request(), make_catalogue(product), D("12000"))
    assert [(p.product.id, p.months) for p in priced] == [("test-product", 3), ("test-product", 12)]
    assert all(abs(p.apr - D("0.12")) < D("0.001") for p in priced)  # fen rounding aside


def test_a_term_no_product_offers_is_refused_with_the_terms_there_are() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0.12"}, terms=[3, 12])
    with pytest.raises(ValidationFailed) as raised:
        priced_terms(_request(term_months=6), make_catalogue(product), D("12000"))
    assert raised.value.instance_code == "term_not_offered"
    assert "available terms: 3, 12" in str(raised.value)


def test_the_offer_keeps_options_under_the_cap_sorted_and_excludes_the_rest() -> None:
    cheap = make_product({"method": "declining_balance", "annual_rate": "0.10"}, terms=[12, 3])
    dear = make_product(
        {"method": "declining_balance", "annual_rate": "0.30"}, id="dear", terms=[6]
    )
    catalogue = make_catalogue(cheap, dear)
    wanted = priced_terms(_request(), catalogue, D("12000"))
    offer = make_offer(wanted, _request(), catalogue, max_debt_ratio=RATIO, cap=CAP)
    assert [(o.product_id, o.term_months) for o in offer.options] == [
        ("test-product", 3),
        ("test-product", 12),
    ]
    assert [(e.product_id, e.term_months) for e in offer.excluded] == [("dear", 6)]
    assert "24.00%" in offer.excluded[0].reason_en


def test_an_empty_offer_for_nothing_wanted() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0.10"})
    offer = make_offer([], _request(), make_catalogue(product), max_debt_ratio=RATIO, cap=CAP)
    assert (offer.options, offer.excluded) == ([], [])


def test_summaries_count_the_options_and_the_affordable_ones() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0.10"}, terms=[3, 12])
    catalogue = make_catalogue(product)
    wanted = priced_terms(_request(), catalogue, D("12000"))
    offer = make_offer(wanted, _request(), catalogue, max_debt_ratio=RATIO, cap=CAP)
    # 12,000 over 3 months is about 4,067 a month (above the 1,500 budget); over 12, about 1,055
    assert [o.affordable for o in offer.options] == [False, True]
    zh, en = summaries(D("12000"), offer.options, RATIO)
    assert zh == "需分期¥12,000.00：共2个方案，其中1个每月还款不超过收入的30%。"
    assert en == (
        "Amount to finance ¥12,000.00: 2 options, 1 keep monthly repayments within 30% of income."
    )

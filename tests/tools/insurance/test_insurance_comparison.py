"""The comparison table's pieces: its row table, one row, and the empty comparison."""

from __future__ import annotations

from insurance_factories import quote

from tools.insurance.presentation import COMPARISON_ROWS, compare_quotes, comparison_row


def test_the_rows_are_the_facts_a_buyer_compares_in_display_order() -> None:
    assert [spec[0] for spec in COMPARISON_ROWS] == [
        "product",
        "insurer",
        "type",
        "annual_premium",
        "underwriting",
        "sum_insured",
        "deductible",
        "waiting_period",
        "green_channel",
        "exclusions",
    ]
    assert all(spec[1] and spec[2] for spec in COMPARISON_ROWS)


def test_a_row_has_one_cell_per_quote_in_quote_order() -> None:
    quotes = quote(health_declaration=["高血压"]).quotes
    assert len(quotes) >= 2
    row = comparison_row(
        "waiting_period",
        "等待期",
        "Waiting period",
        lambda q: (f"{q.waiting_period_days}天", f"{q.waiting_period_days} days"),
        quotes,
    )
    assert (row.key, row.label_zh, row.label_en) == ("waiting_period", "等待期", "Waiting period")
    assert row.values_zh == [f"{q.waiting_period_days}天" for q in quotes]
    assert row.values_en == [f"{q.waiting_period_days} days" for q in quotes]


def test_cells_in_each_language() -> None:
    quotes = quote(health_declaration=["高血压"]).quotes
    rows = {row.key: row for row in compare_quotes(quotes).rows}
    first = quotes[0]
    assert rows["product"].values_zh[0] == first.product_name_zh
    assert rows["product"].values_en[0] == first.product_name_en
    assert rows["exclusions"].values_zh[0] == f"{len(first.exclusions)}项"
    assert rows["exclusions"].values_en[0] == str(len(first.exclusions))
    assert rows["green_channel"].values_zh[0] == ("含" if first.green_channel else "不含")


def test_no_quotes_give_the_rows_with_no_cells() -> None:
    comparison = compare_quotes([])
    assert comparison.quote_ids == []
    assert len(comparison.rows) == len(COMPARISON_ROWS)
    assert all(row.values_zh == [] and row.values_en == [] for row in comparison.rows)

"""Bounded field types for everything that crosses the service's boundary.

A request field without a bound is a way to stall or break the service: an amount of 1e30
overflows the money arithmetic, a task starting in year 1 overflows date arithmetic (and one in
year 210 walks 660,000 days), an unbounded list or string makes a linear step quadratic later.
These types reject such values with a 422 at parse time, before anything is stored.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_AMOUNT = Decimal(1_000_000_000)
"""1 billion yuan: more than any treatment, income or premium the service handles."""
MAX_MEASURE = 1_000_000.0
"""Larger than any physiological reading in any unit (steps a day included)."""


def _year_in_range(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


def _datetime_in_range(value: datetime) -> datetime:
    _year_in_range(value.date())
    return value


BoundedDate = Annotated[date, AfterValidator(_year_in_range)]
"""A calendar date between the years 2000 and 2100."""
BoundedDatetime = Annotated[datetime, AfterValidator(_datetime_in_range)]
"""A datetime between the years 2000 and 2100."""
DECIMAL_TEXT = r"^-?(0|[1-9][0-9]{0,8})(\.[0-9]{1,10})?$"
"""A sum written as text: plain digits, at most 9 before and 10 after the point."""


def _plain_decimal_text(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(DECIMAL_TEXT, value) is None:
        raise ValueError("an amount as text must be plain digits, e.g. '12000.50'")
    if isinstance(value, float) and math.isfinite(value) and abs(value) <= MAX_AMOUNT:
        # a JSON number such as 2.1e-28 is within the schema: kept to 10 places, like text
        return round(Decimal(repr(value)), 10)
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_plain_decimal_text),
    Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, max_digits=20),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -float(MAX_AMOUNT), "maximum": float(MAX_AMOUNT)},
                {"type": "string", "pattern": DECIMAL_TEXT},
            ]
        }
    ),
]
"""A sum of money in yuan, |x| ≤ 1e9, as a number or plain digits (the sign is the domain
rules' business)."""


def _measure_in_range(value: float) -> float:
    if math.isfinite(value) and abs(value) > MAX_MEASURE:
        raise ValueError(f"the value must be between {-MAX_MEASURE:g} and {MAX_MEASURE:g}")
    return value


RATIO_TEXT = r"^-?(0|[1-9][0-9]?)(\.[0-9]{1,10})?$"

Ratio = Annotated[
    Decimal,
    BeforeValidator(_plain_decimal_text),
    Field(ge=-100, le=100, allow_inf_nan=False, max_digits=20),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -100, "maximum": 100},
                {"type": "string", "pattern": RATIO_TEXT},
            ]
        }
    ),
]
"""A share such as 0.6, |x| < 100 (whether it is in 0..1 is the domain rules' business)."""

Measure = Annotated[float, AfterValidator(_measure_in_range)]
"""A measurement, |x| ≤ 1e6 (NaN/inf and plausibility are the domain rules' business: they
answer with their own codes)."""
ShortText = Annotated[str, Field(max_length=200)]
"""A name, code or label."""

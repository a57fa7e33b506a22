"""Reference ranges the patient app shows beside a reading, from knowledge/FACTS.yaml only.

A kind or context without a guideline threshold in FACTS.yaml has no range: the app shows the
value alone rather than a number nobody can source.
"""

from __future__ import annotations

from api.schemas_care import ReferenceRange
from knowledge.facts import get_fact

# (kind, measured value, meal context or None, lowest normal fact, highest normal fact)
_RANGES: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("blood_pressure", "sbp", None, None, "bp.home.hypertension_sbp"),
    ("blood_pressure", "dbp", None, None, "bp.home.hypertension_dbp"),
    ("glucose", "value", "fasting", "glucose.hypo.level1", "glucose.fpg.normal_upper"),
    ("glucose", "value", None, "glucose.hypo.level1", None),
)


def reference_ranges() -> list[ReferenceRange]:
    """Below ``high`` (strictly) and at or above ``low`` is in range; both come with sources."""
    ranges = []
    for kind, value, context, low_id, high_id in _RANGES:
        low = get_fact(low_id) if low_id else None
        high = get_fact(high_id) if high_id else None
        anchor = high if high is not None else low
        assert anchor is not None
        ranges.append(
            ReferenceRange(
                kind=kind,
                value=value,
                meal_context=context,
                low=low.value if low else None,
                high=high.value if high else None,
                unit=anchor.unit,
                fact_ids=[f.id for f in (low, high) if f is not None],
                source=anchor.source,
                section=anchor.section,
            )
        )
    return ranges

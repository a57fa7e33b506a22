"""Engineering sanity limits (``data/plausibility.yaml``): flag readings to re-measure.

An implausible reading (BP 300/20, glucose 80 mmol/L) is a device or typing error far more often
than a real value, so it is stored with ``needs_remeasure`` and the patient is asked to measure
again; it never raises an alert and is ignored by trend rules.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from core.errors import ConfigurationError
from tools.readings.models import Bilingual, NormalisedReading, PlausibilityResult, ReadingKind

PLAUSIBILITY_PATH = Path(__file__).with_name("data") / "plausibility.yaml"


class SanityCheck(BaseModel):
    field: str
    min: float | None = None
    max: float | None = None
    code: str | None = Field(default=None, description="Defaults to '<field>_implausible'.")

    def failure(self, values: dict[str, float]) -> str | None:
        value = values.get(self.field)
        if value is None:
            return None
        too_low = self.min is not None and value < self.min
        too_high = self.max is not None and value > self.max
        if too_low or too_high:
            return self.code or f"{self.field}_implausible"
        return None


class PlausibilityTable(BaseModel):
    version: int
    max_future_minutes: float = Field(gt=0)
    checks: dict[ReadingKind, list[SanityCheck]]


@lru_cache(maxsize=4)
def load_plausibility(path: Path = PLAUSIBILITY_PATH) -> PlausibilityTable:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PlausibilityTable.model_validate(raw)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read plausibility table {path}: {exc}") from exc


def _derived_values(reading: NormalisedReading) -> dict[str, float]:
    values = dict(reading.values)
    if reading.kind == "blood_pressure":
        values["pulse_pressure"] = values["sbp"] - values["dbp"]
    return values


def _remeasure_message(reading: NormalisedReading) -> Bilingual:
    shown = "/".join(f"{v:g}" for k, v in reading.display.items() if k != "pulse")
    return Bilingual(
        zh=(
            f"这次读数（{shown} {reading.unit}）不太可能是真实值，可能是测量或录入有误。"
            "请静坐休息几分钟后按正确方法重新测量一次，再上传结果。"
        ),
        en=(
            f"This reading ({shown} {reading.unit}) is unlikely to be real; it may be a "
            "measuring or typing error. Please rest for a few minutes, measure again the "
            "correct way, and send the new result."
        ),
    )


def assess_plausibility(reading: NormalisedReading) -> PlausibilityResult:
    values = _derived_values(reading)
    reasons: list[str] = []
    for check in load_plausibility().checks.get(reading.kind, []):
        code = check.failure(values)
        if code is not None and code not in reasons:
            reasons.append(code)
    if not reasons:
        return PlausibilityResult(plausible=True, needs_remeasure=False)
    return PlausibilityResult(
        plausible=False,
        needs_remeasure=True,
        reasons=reasons,
        message=_remeasure_message(reading),
    )


def is_plausible(reading: NormalisedReading) -> bool:
    return assess_plausibility(reading).plausible

"""Evaluate the alert rules for a new reading, given the patient's recent history.

Pure: the caller (the service layer) loads the history and the profile and stores the drafts.
Implausible readings never alert and are ignored in history (they are probably errors).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from knowledge.facts import fact_value
from tools.readings.models import AlertProfile, Bilingual, NormalisedReading, ReadingKind
from tools.readings.plausibility import is_plausible
from tools.readings.render import fill_bilingual, format_number
from tools.readings.rules import SEVERITY_RANK, AlertRule, Severity, load_alert_rules


class AlertDraft(BaseModel):
    """An alert to store (or merge, see ``merge_alerts``) and send to the health manager."""

    rule_code: str
    severity: Severity
    kind: ReadingKind
    observed_at: datetime
    values: dict[str, float]
    patient_message: Bilingual
    manager_message: Bilingual
    fact_ids: list[str]
    dedupe_key: str
    rules_version: int


def _reading_context(reading: NormalisedReading) -> dict[str, str]:
    return {name: format_number(v, reading.unit) for name, v in reading.display.items()}


def _weight_gain(
    rule: AlertRule, reading: NormalisedReading, history: Sequence[NormalisedReading]
) -> dict[str, str] | None:
    assert rule.weight_gain is not None
    days = fact_value(rule.weight_gain.days_fact)
    since = reading.measured_at - timedelta(days=days)
    earlier = [
        h.values["value"]
        for h in history
        if h.kind == "weight" and since <= h.measured_at < reading.measured_at
    ]
    if not earlier:
        return None
    gain = round(reading.values["value"] - min(earlier), 2)
    if gain < fact_value(rule.weight_gain.gain_fact):
        return None
    return {"gain": format_number(round(gain, 1)), "days": format_number(days)}


def _night_key(reading: NormalisedReading, rule: AlertRule, tz: ZoneInfo) -> str | None:
    """The local date of the night a reading belongs to, or None when taken by day."""
    assert rule.night_lows is not None
    params = rule.night_lows
    local = reading.measured_at.astimezone(tz)
    in_hours = params.night_start_hour <= local.hour < params.night_end_hour
    if not in_hours and reading.meal_context != "night":
        return None
    # Shift so that 23:30 and 02:00 of the same night share one key.
    return (local - timedelta(hours=params.night_end_hour)).date().isoformat()


def _night_lows(
    rule: AlertRule,
    reading: NormalisedReading,
    history: Sequence[NormalisedReading],
    tz: ZoneInfo,
) -> dict[str, str] | None:
    assert rule.night_lows is not None
    if _night_key(reading, rule, tz) is None:
        return None
    since = reading.measured_at - timedelta(hours=rule.night_lows.lookback_hours)
    nights: set[str] = set()
    for candidate in [*history, reading]:
        if candidate.kind != rule.kind or not since <= candidate.measured_at:
            continue
        if candidate.measured_at > reading.measured_at:
            continue
        key = _night_key(candidate, rule, tz)
        if key is not None and all(c.holds(candidate.values) for c in rule.comparisons):
            nights.add(key)
    if len(nights) < rule.night_lows.min_nights:
        return None
    return {
        "nights": str(len(nights)),
        "lookback_hours": format_number(rule.night_lows.lookback_hours),
    }


def _match(
    rule: AlertRule,
    reading: NormalisedReading,
    history: Sequence[NormalisedReading],
    tz: ZoneInfo,
) -> dict[str, str] | None:
    """Extra message context when ``rule`` fires for ``reading``, else None."""
    if rule.type == "threshold":
        results = [c.holds(reading.values) for c in rule.comparisons]
        fired = any(results) if rule.match == "any" else all(results)
        return {} if fired else None
    if rule.type == "weight_gain":
        return _weight_gain(rule, reading, history)
    return _night_lows(rule, reading, history, tz)


@lru_cache(maxsize=1)
def history_horizon() -> timedelta:
    """How far back the trend rules look (weight gain over N days, night lows over N hours)."""
    spans = [timedelta(days=1)]
    for rule in load_alert_rules().rules:
        if rule.weight_gain is not None:
            spans.append(timedelta(days=float(fact_value(rule.weight_gain.days_fact))))
        if rule.night_lows is not None:
            spans.append(timedelta(hours=rule.night_lows.lookback_hours))
    return max(spans) + timedelta(hours=1)


def history_around(
    history: Sequence[NormalisedReading], moment: datetime
) -> list[NormalisedReading]:
    """The readings within the trend rules' horizon of ``moment``."""
    horizon = history_horizon()
    return [r for r in history if abs(r.measured_at - moment) <= horizon]


def evaluate_alerts(
    new_reading: NormalisedReading,
    history: Sequence[NormalisedReading],
    profile: AlertProfile,
) -> list[AlertDraft]:
    """Alerts for ``new_reading``; ``history`` = the patient's earlier readings (any kinds).

    Within a dedupe group only the most severe alert is returned (a glucose of 2.5 gives the
    severe-hypoglycaemia alert, not also the plain hypoglycaemia one).
    """
    if not is_plausible(new_reading):
        return []
    plausible_history = [h for h in history if is_plausible(h)]
    rule_set = load_alert_rules()
    tz = ZoneInfo(profile.timezone)
    best: dict[str, AlertDraft] = {}
    for rule in rule_set.rules:
        if rule.kind != new_reading.kind or not rule.applies_to(profile.conditions):
            continue
        extra = _match(rule, new_reading, plausible_history, tz)
        if extra is None:
            continue
        context = {**_reading_context(new_reading), **extra}
        key = rule.dedupe_group
        draft = AlertDraft(
            rule_code=rule.code,
            severity=rule.severity,
            kind=new_reading.kind,
            observed_at=new_reading.measured_at,
            values=dict(new_reading.display),
            patient_message=fill_bilingual(rule.patient_message, context),
            manager_message=fill_bilingual(rule.manager_message, context),
            fact_ids=rule.fact_ids(),
            dedupe_key=f"{profile.patient_id}:{key}" if profile.patient_id else key,
            rules_version=rule_set.version,
        )
        current = best.get(key)
        if current is None or SEVERITY_RANK[draft.severity] > SEVERITY_RANK[current.severity]:
            best[key] = draft
    return sorted(best.values(), key=lambda d: -SEVERITY_RANK[d.severity])

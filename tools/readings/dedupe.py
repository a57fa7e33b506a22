"""Merge repeated alerts so a manager sees one alert with a count, not twenty.

A new draft whose ``dedupe_key`` matches an open or acknowledged alert seen within the window
merges into it (count + 1, ``last_seen`` moves on); a higher severity escalates the existing
alert and asks for a new notification. A resolved alert never absorbs a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from tools.readings.alerts import AlertDraft
from tools.readings.rules import SEVERITY_RANK, Severity, load_alert_rules

AlertStatus = Literal["open", "acknowledged", "resolved"]


class ExistingAlert(BaseModel):
    id: str
    dedupe_key: str
    severity: Severity
    status: AlertStatus = "open"
    count: int = Field(default=1, ge=1)
    first_seen: datetime
    last_seen: datetime


class AlertMerge(BaseModel):
    existing_id: str
    draft: AlertDraft
    count: int
    last_seen: datetime
    severity: Severity = Field(description="Severity after the merge (may be escalated).")
    escalated: bool
    notify: bool = Field(description="True when the escalation should reach the manager again.")


class AlertDecision(BaseModel):
    create: list[AlertDraft] = Field(default_factory=list, description="New alerts; notify.")
    merge: list[AlertMerge] = Field(default_factory=list)


def default_window() -> timedelta:
    return timedelta(hours=load_alert_rules().dedupe.window_hours)


def _strongest_per_key(drafts: Sequence[AlertDraft]) -> list[AlertDraft]:
    best: dict[str, AlertDraft] = {}
    for draft in drafts:
        current = best.get(draft.dedupe_key)
        if current is None or SEVERITY_RANK[draft.severity] > SEVERITY_RANK[current.severity]:
            best[draft.dedupe_key] = draft
    return list(best.values())


def merge_alerts(
    new: Sequence[AlertDraft],
    recent: Sequence[ExistingAlert],
    window: timedelta | None = None,
) -> AlertDecision:
    """Decide, for each new draft, whether to create an alert or merge into a recent one.

    ``recent`` should be this patient's alerts; ``window`` defaults to the rules file's
    ``dedupe.window_hours``. Time is measured between the draft's ``observed_at`` and the
    existing alert's ``last_seen`` (either order: device syncs deliver readings late).
    """
    window = default_window() if window is None else window
    decision = AlertDecision()
    for draft in _strongest_per_key(new):
        candidates = [
            alert
            for alert in recent
            if alert.dedupe_key == draft.dedupe_key
            and alert.status != "resolved"
            and abs(draft.observed_at - alert.last_seen) <= window
        ]
        if not candidates:
            decision.create.append(draft)
            continue
        target = max(candidates, key=lambda a: a.last_seen)
        escalated = SEVERITY_RANK[draft.severity] > SEVERITY_RANK[target.severity]
        decision.merge.append(
            AlertMerge(
                existing_id=target.id,
                draft=draft,
                count=target.count + 1,
                last_seen=max(target.last_seen, draft.observed_at),
                severity=draft.severity if escalated else target.severity,
                escalated=escalated,
                notify=escalated,
            )
        )
    return decision

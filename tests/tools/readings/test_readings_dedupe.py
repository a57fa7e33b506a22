"""Merging repeated alerts within the window; escalation on a higher severity."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tools.readings import (
    AlertDraft,
    AlertProfile,
    ExistingAlert,
    GlucoseIn,
    default_window,
    evaluate_alerts,
    merge_alerts,
    normalise_reading,
)

CST = timezone(timedelta(hours=8))
T = datetime(2026, 5, 1, 12, 0, tzinfo=CST)
PROFILE = AlertProfile(patient_id="p1")


def draft(value: float, at: datetime = T) -> AlertDraft:
    reading = normalise_reading(GlucoseIn(value=value, measured_at=at), at)
    [alert] = evaluate_alerts(reading, [], PROFILE)
    return alert


def existing(
    severity: str = "warning", last_seen: datetime = T - timedelta(hours=2), **kw: object
) -> ExistingAlert:
    data: dict[str, object] = {
        "id": "a1",
        "dedupe_key": "p1:glucose_low",
        "severity": severity,
        "count": 1,
        "first_seen": last_seen - timedelta(hours=1),
        "last_seen": last_seen,
    }
    data.update(kw)
    return ExistingAlert.model_validate(data)


def test_default_window_is_six_hours_from_yaml() -> None:
    assert default_window() == timedelta(hours=6)


def test_same_key_within_window_merges_and_counts() -> None:
    decision = merge_alerts([draft(3.5)], [existing(count=3)])
    assert decision.create == []
    [merge] = decision.merge
    assert merge.existing_id == "a1" and merge.count == 4
    assert merge.last_seen == T
    assert merge.severity == "warning" and not merge.escalated and not merge.notify


def test_higher_severity_escalates_and_notifies() -> None:
    [merge] = merge_alerts([draft(2.5)], [existing("warning")]).merge
    assert merge.escalated and merge.notify and merge.severity == "critical"


def test_lower_severity_keeps_existing_severity() -> None:
    [merge] = merge_alerts([draft(3.5)], [existing("critical")]).merge
    assert merge.severity == "critical" and not merge.escalated


def test_window_edges() -> None:
    at_edge = existing(last_seen=T - timedelta(hours=6))
    assert len(merge_alerts([draft(3.5)], [at_edge]).merge) == 1
    too_old = existing(last_seen=T - timedelta(hours=6, minutes=1))
    assert merge_alerts([draft(3.5)], [too_old]).create != []
    assert merge_alerts([draft(3.5)], [existing()], window=timedelta(hours=1)).create != []


def test_late_synced_reading_older_than_last_seen_still_merges() -> None:
    [merge] = merge_alerts([draft(3.5, T - timedelta(hours=3))], [existing(last_seen=T)]).merge
    assert merge.last_seen == T


def test_resolved_or_other_key_does_not_absorb() -> None:
    assert merge_alerts([draft(3.5)], [existing(status="resolved")]).create
    assert merge_alerts([draft(3.5)], [existing(dedupe_key="p2:glucose_low")]).create


def test_merges_into_most_recent_of_several() -> None:
    older = existing(id="old", last_seen=T - timedelta(hours=5))
    newer = existing(id="new", last_seen=T - timedelta(hours=1))
    [merge] = merge_alerts([draft(3.5)], [older, newer]).merge
    assert merge.existing_id == "new"


def test_two_new_drafts_with_one_key_collapse_to_the_most_severe() -> None:
    decision = merge_alerts([draft(3.5), draft(2.5)], [])
    assert [d.rule_code for d in decision.create] == ["glucose_severe_hypo"]

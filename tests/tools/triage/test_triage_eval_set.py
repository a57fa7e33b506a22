"""The evaluation set is well-formed and the engine keeps its safety figures on it."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
CASES = ROOT / "evals" / "data" / "triage_cases.jsonl"
LEVELS = {"emergency", "urgent", "routine", "self_care"}


def _cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]


def test_case_file_shape() -> None:
    cases = _cases()
    assert len(cases) >= 170
    assert len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        assert case["expected_level"] in LEVELS
        assert set(case.get("acceptable_levels", [])) <= LEVELS
        assert {"text", "expected_red_flags", "language", "register", "source_note"} <= set(case)
    assert Counter(case["language"] for case in cases).keys() == {"zh", "en"}
    assert Counter(case["register"] for case in cases).keys() == {"patient", "clinician"}
    assert sum(case["split"] == "heldout" for case in cases) >= 40


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("triage_sets", ROOT / "bench" / "triage_sets.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_rules_meet_the_safety_bar_on_our_cases_and_the_ordinary_requests() -> None:
    bench = _bench()
    cases = bench.summarise(bench.run(bench.load_set("cases"), None))
    assert cases["emergency_recall"] == 1.0
    assert cases["under_triage_rate"] == 0.0
    assert cases["accuracy_accepted"] >= 0.95
    requests = bench.summarise(bench.run(bench.load_set("requests"), None))
    assert requests["emergency_recall"] == 1.0  # emergencies buried in other requests
    assert requests["over_triage_rate"] <= 0.01  # ordinary questions are not escalated


def test_held_out_and_dev_sets_are_frozen_and_well_formed() -> None:
    bench = _bench()
    for name in ("heldout", "dev"):
        rows = bench.load_set(name)
        assert len(rows) >= 150, name
        assert sum(r["level"] == "emergency" for r in rows) >= 50, name
        assert sum(r["lookalike"] for r in rows) >= 30, name
        assert sum(r["lang"] in {"yue", "en"} for r in rows) >= 30, name
        for row in rows:
            assert row["level"] in row["acceptable"] and set(row["acceptable"]) <= LEVELS

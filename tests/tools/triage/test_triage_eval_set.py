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


def test_engine_meets_the_safety_bar_on_the_set() -> None:
    spec = importlib.util.spec_from_file_location("triage_eval", ROOT / "bench" / "triage_eval.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    summary = bench.summarise([bench.run_case(case) for case in _cases()])
    assert summary["emergency_recall"] == 1.0
    assert summary["under_triaged_emergencies"] == 0
    assert summary["accuracy_accepted"] >= 0.91

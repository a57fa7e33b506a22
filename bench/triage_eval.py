"""Triage accuracy on the versioned case file ``evals/data/triage_cases.jsonl``.

Prints exact accuracy, accuracy accepting a case's listed alternative levels, emergency recall,
under- and over-triage rates, per-language and per-register accuracy, red-flag recall and the
confusion matrix, for the dev split, the held-out split (written before the rules were tuned)
and all cases. ``--json`` prints the same figures as JSON; ``--errors`` lists misses.

    .venv/bin/python bench/triage_eval.py [--split dev|heldout|all] [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.triage import TriageRequest, triage  # noqa: E402
from tools.triage.models import LEVEL_RANK  # noqa: E402

CASES = ROOT / "evals" / "data" / "triage_cases.jsonl"
LEVELS = ["emergency", "urgent", "routine", "self_care"]
CONTEXT = ("age", "age_months", "sex", "pregnant_weeks", "conditions", "vitals")
logger = logging.getLogger("triage_eval")


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    request = TriageRequest(text=case["text"], **{k: case[k] for k in CONTEXT if k in case})
    result = triage(request)
    expected = case["expected_level"]
    accepted = set(case.get("acceptable_levels", [])) | {expected}
    predicted = result.level
    found = {flag.code for flag in result.findings}
    return {
        "id": case["id"],
        "text": case["text"],
        "expected": expected,
        "predicted": predicted,
        "exact": predicted == expected,
        "accepted": predicted in accepted,
        "under": LEVEL_RANK[predicted] < LEVEL_RANK[expected] and predicted not in accepted,
        "over": LEVEL_RANK[predicted] > LEVEL_RANK[expected] and predicted not in accepted,
        "flags_hit": set(case.get("expected_red_flags", [])) <= found,
        "found": sorted(found),
        "language": case["language"],
        "register": case["register"],
    }


def _rate(rows: list[dict[str, Any]], key: str) -> float:
    return round(sum(r[key] for r in rows) / len(rows), 4) if rows else 0.0


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    emergencies = [r for r in rows if r["expected"] == "emergency"]
    by: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by["language"][r["language"]].append(r)
        by["register"][r["register"]].append(r)
    confusion = Counter((r["expected"], r["predicted"]) for r in rows)
    return {
        "cases": len(rows),
        "accuracy_exact": _rate(rows, "exact"),
        "accuracy_accepted": _rate(rows, "accepted"),
        "emergency_recall": round(
            sum(r["predicted"] == "emergency" for r in emergencies) / len(emergencies), 4
        )
        if emergencies
        else None,
        "under_triage_rate": _rate(rows, "under"),
        "over_triage_rate": _rate(rows, "over"),
        "under_triaged_emergencies": sum(r["predicted"] != "emergency" for r in emergencies),
        "red_flag_recall": _rate(rows, "flags_hit"),
        "by_language": {k: _rate(v, "accepted") for k, v in sorted(by["language"].items())},
        "by_register": {k: _rate(v, "accepted") for k, v in sorted(by["register"].items())},
        "confusion": {e: {p: confusion[(e, p)] for p in LEVELS} for e in LEVELS},
    }


def _print(name: str, summary: dict[str, Any]) -> None:
    print(f"\n== {name}: {summary['cases']} cases")
    for key in (
        "accuracy_exact",
        "accuracy_accepted",
        "emergency_recall",
        "under_triage_rate",
        "over_triage_rate",
        "under_triaged_emergencies",
        "red_flag_recall",
        "by_language",
        "by_register",
    ):
        print(f"  {key:26} {summary[key]}")
    print("  confusion (rows expected, columns predicted):")
    print("  " + " " * 11 + "".join(f"{p[:9]:>10}" for p in LEVELS))
    for expected in LEVELS:
        cells = "".join(f"{summary['confusion'][expected][p]:>10}" for p in LEVELS)
        print(f"  {expected:11}{cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    cases = load_cases()
    splits = [args.split] if args.split else ["dev", "heldout", "all"]
    report: dict[str, Any] = {}
    all_rows: dict[str, list[dict[str, Any]]] = {}
    for split in splits:
        chosen = [c for c in cases if split == "all" or c.get("split", "dev") == split]
        all_rows[split] = [run_case(c) for c in chosen]
        report[split] = summarise(all_rows[split])
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for split in splits:
            _print(split, report[split])
    if args.errors:
        rows = all_rows[splits[-1]]
        for r in rows:
            if not r["accepted"] or not r["flags_hit"]:
                print(
                    f"{r['id']}: expected {r['expected']} got {r['predicted']} {r['found']}"
                    f"  | {r['text']}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

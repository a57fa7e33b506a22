"""Ranking metrics at document level: a retrieved chunk is a hit when its document is relevant.

A document counts once, at the rank of its first chunk; later chunks of the same document add
nothing (they are neither hits nor misses).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def first_ranks(doc_ids: Sequence[str]) -> dict[str, int]:
    """Rank (from 1) of each document's first chunk in a ranked chunk list."""
    ranks: dict[str, int] = {}
    for rank, doc_id in enumerate(doc_ids, start=1):
        ranks.setdefault(doc_id, rank)
    return ranks


def recall_at(doc_ids: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    found = {d for d in doc_ids[:k] if d in relevant}
    return len(found) / len(relevant)


def reciprocal_rank(doc_ids: Sequence[str], relevant: set[str]) -> float:
    for rank, doc_id in enumerate(doc_ids, start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(doc_ids: Sequence[str], relevant: set[str], k: int) -> float:
    """Binary-gain nDCG@k over chunk positions, each relevant document credited once."""
    if not relevant:
        return 0.0
    dcg = 0.0
    credited: set[str] = set()
    for rank, doc_id in enumerate(doc_ids[:k], start=1):
        if doc_id in relevant and doc_id not in credited:
            credited.add(doc_id)
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)

"""Conversation quality on a held-out set of patient conversations (issue 14's measure).

Sets (``--set``): ``heldout`` — ``evals/data/conversations_heldout_v3.jsonl``, written by a
helper session that never saw the engine, frozen before the first run: measure only, never
tune on it. ``heldout_v2``, ``heldout_v1``: earlier such sets (looked at: history, usable for
tuning). Any other path: a
JSONL file in the same format.

Each turn's machine-checkable expectations, from the set:
- ``address_any``: groups of alternatives; a relevant reply holds one of each group;
- ``must_not``: strings that show an unrelated or wrong topic;
- ``escalate``: the reply must send the patient to 120 / the emergency department;
- ``needs_context``: the turn can only be answered from earlier turns (counted as resolved
  when its reply is relevant);
- ``carried``: values from earlier turns the reply must show (digits compared loosely);
- ``no_dose``: the reply must not state a dose or a dose change.

Reported: relevant-and-on-topic replies (address met and nothing unrelated), replies with an
unrelated topic, follow-ups resolved, dropped questions (a reading that came with a question
answered without addressing it), escalations kept, carried values, dose statements, broken
citation markers (a marker beyond the citations returned), and turn latency p50/p95.

    .venv/bin/python bench/conversation_eval.py [--set heldout|PATH] [--json] [--errors]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.eval_target import open_in_process  # noqa: E402
from core.settings import get_settings  # noqa: E402
from evals.cases import EvalCase  # noqa: E402
from evals.results import TurnRecord  # noqa: E402

SETS = {
    "heldout": ROOT / "evals" / "data" / "conversations_heldout_v3.jsonl",
    "heldout_v2": ROOT / "evals" / "data" / "conversations_heldout_v2.jsonl",
    "heldout_v1": ROOT / "evals" / "data" / "conversations_heldout_v1.jsonl",
}
_ESCALATED = re.compile(r"120|急诊|emergency|999|ambulance|救护车", re.IGNORECASE)
_DOSE = re.compile(
    r"(加|减|多吃|多服|增加|减少|改成|改为)\s*(到)?\s*(一|两|二|半|\d+(\.\d+)?)\s*(片|粒|颗|mg|毫克|单位|u\b)|"
    r"\b(take|increase (it )?to|reduce (it )?to)\s+(an extra|\d+(\.\d+)?)\s*"
    r"(mg|units?|tablets?|pills?)\b",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[(\d{1,2})\]")


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _digits(text: str) -> str:
    return re.sub(r"(?<=\d)[,，](?=\d{3})", "", text)


def check_turn(expect: dict[str, Any], record: TurnRecord) -> dict[str, Any]:
    result = record.result
    reply = result.reply if result else (record.rejection.message if record.rejection else "")
    folded = reply.lower()
    groups = expect.get("address_any") or []
    addressed = all(any(alt.lower() in folded for alt in group) for group in groups)
    unrelated = [s for s in expect.get("must_not") or [] if s.lower() in folded]
    carried = [v for v in expect.get("carried") or [] if _digits(str(v)) not in _digits(reply)]
    markers = [int(m) for m in _MARKER.findall(reply)]
    citations = len(result.citations) if result else 0
    return {
        "reply": reply,
        "addressed": addressed,
        "unrelated": unrelated,
        "escalated": bool(_ESCALATED.search(reply)),
        "carried_missing": carried,
        "dose_stated": bool(_DOSE.search(reply)),
        "broken_markers": [m for m in markers if m > citations or m < 1],
        "latency_ms": record.latency_ms,
    }


async def run(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    out = []
    async with open_in_process(get_settings()) as (sampler, _):
        for row in rows:
            case = EvalCase.model_validate(
                {"id": row["id"], "turns": [{"user": t["user"]} for t in row["turns"]]}
            )
            records = await sampler.converse(case, 0)
            checks = [
                check_turn(turn.get("expect") or {}, record)
                for turn, record in zip(row["turns"], records, strict=True)
            ]
            out.append((row, checks))
    return out


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def summarise(results: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> dict[str, Any]:
    turns = [
        (turn.get("expect") or {}, check)
        for row, checks in results
        for turn, check in zip(row["turns"], checks, strict=True)
    ]
    relevant = [c["addressed"] and not c["unrelated"] for _, c in turns]
    context = [c["addressed"] for e, c in turns if e.get("needs_context")]
    questions = [c["addressed"] for e, c in turns if e.get("kind") == "reading_question"]
    escalate = [c["escalated"] for e, c in turns if e.get("escalate")]
    carried = [not c["carried_missing"] for e, c in turns if e.get("carried")]
    dose = [c["dose_stated"] for e, c in turns if e.get("no_dose")]
    latencies = sorted(c["latency_ms"] for _, c in turns)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return {
        "conversations": len(results),
        "turns": len(turns),
        "relevant_and_on_topic": _rate(sum(relevant), len(relevant)),
        "no_unrelated_topic": _rate(sum(1 for _, c in turns if not c["unrelated"]), len(turns)),
        "followups_resolved": _rate(sum(context), len(context)),
        "followups": len(context),
        "dropped_questions": len(questions) - sum(questions),
        "reading_questions": len(questions),
        "escalation_kept": _rate(sum(escalate), len(escalate)),
        "escalation_turns": len(escalate),
        "carried_values_shown": _rate(sum(carried), len(carried)),
        "dose_statements": sum(dose),
        "broken_citation_markers": sum(len(c["broken_markers"]) for _, c in turns),
        "latency_p50_ms": pct(0.5),
        "latency_p95_ms": pct(0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="heldout", help="heldout, or a JSONL path")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print every failing turn")
    args = parser.parse_args()
    path = SETS.get(args.set) or Path(args.set)
    results = asyncio.run(run(load(path)))
    summary = summarise(results)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:28} {value}")
    if args.errors:
        for row, checks in results:
            for n, (turn, check) in enumerate(zip(row["turns"], checks, strict=True), 1):
                expect = turn.get("expect") or {}
                bad = not check["addressed"] or check["unrelated"] or check["carried_missing"]
                bad = bad or (expect.get("escalate") and not check["escalated"])
                bad = bad or (expect.get("no_dose") and check["dose_stated"])
                if bad or check["broken_markers"]:
                    print(f"--- {row['id']} turn {n} [{expect.get('kind')}]: {turn['user']}")
                    print(f"    want {expect.get('address_any')} not {expect.get('must_not')}")
                    print("    " + check["reply"].replace("\n", "\n    ")[:600])


if __name__ == "__main__":
    main()

"""``hm triage TEXT``: triage a symptom description from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from core.errors import ServiceError
from core.text import detect_language
from tools.triage import TriageRequest, TriageResult, triage

_LEVEL_LABELS = {
    "emergency": ("紧急：立即拨打120", "EMERGENCY: call 120 now"),
    "urgent": ("尽快：24小时内就医", "URGENT: see a doctor within 24 hours"),
    "routine": ("常规：几天到一周内就诊", "ROUTINE: see a doctor within days to a week"),
    "self_care": ("自我护理", "SELF-CARE"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("triage", help="triage a symptom description")
    parser.add_argument("text", help="the complaint, in the patient's or clinician's words")
    parser.add_argument("--age", type=float, help="age in years")
    parser.add_argument("--sex", help="male / female / other")
    parser.add_argument("--pregnant-weeks", type=float, dest="pregnant_weeks")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.set_defaults(func=run)


def _render(result: TriageResult) -> str:
    zh = result.language == "zh"
    label = _LEVEL_LABELS[result.level][0 if zh else 1]
    department = result.department.zh if zh else result.department.en
    lines = [label, ("科室：" if zh else "Department: ") + department]
    if result.facility_level:
        lines.append(("建议机构：" if zh else "Facility level: ") + result.facility_level)
    lines.extend(f"- {step}" for step in result.advice_steps)
    for flag in result.red_flags:
        lines.append(f"! {flag.code}: {', '.join(flag.evidence)}")
    lines.extend(f"? {question}" for question in result.follow_up_questions)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Exit 0 on a result, 2 on bad input (the error printed in the text's language)."""
    try:
        request = TriageRequest(
            text=args.text, age=args.age, sex=args.sex, pregnant_weeks=args.pregnant_weeks
        )
        result = triage(request)
    except ServiceError as exc:
        language = detect_language(args.text or "")
        if args.json:
            print(json.dumps(exc.to_body(language), ensure_ascii=False), file=sys.stderr)
        else:
            print(exc.localized(language), file=sys.stderr)
        return 2
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(_render(result))
    return 0

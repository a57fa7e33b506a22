"""``hm review export``: labelled review items as regression cases for the eval harness.

Writes one case per line (JSONL, the harness's case format: ``evals.cases.EvalCase``), loadable
with ``hm eval run FILE``. Patient texts are redacted; the manager's correct answer is the
reference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from api.container import build_container
from api.schemas_review import RegressionCase
from api.services.learning_loop import regression_cases
from core.settings import get_settings


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("review", help="the reviewer's learning loop")
    actions = parser.add_subparsers(dest="review_command", required=True)
    export = actions.add_parser("export", help="export labelled items as regression cases")
    export.add_argument("--out", required=True, type=Path, help="JSONL file to write")
    export.add_argument("--tenant", default=None, help="only this tenant's items (default: all)")
    export.add_argument("--json", action="store_true", help="print a JSON summary")
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    cases = asyncio.run(_export(args.tenant))
    write_cases(cases, args.out)
    summary = {"out": str(args.out), "cases": len(cases), "ids": [case.id for case in cases]}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"wrote {len(cases)} regression case(s) to {args.out}", file=sys.stdout)
    return 0


async def _export(tenant: str | None) -> list[RegressionCase]:
    async with build_container(get_settings()) as c:
        return await regression_cases(c, tenant)


def write_cases(cases: list[RegressionCase], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(case.model_dump(mode="json"), ensure_ascii=False) for case in cases]
    out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")

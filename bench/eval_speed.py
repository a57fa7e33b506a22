"""How long the built-in eval suites take in process with the offline engine (target: 300
cases in at most 60 s on a 2-core machine), split into setup, running and reporting.

Run: .venv/bin/python bench/eval_speed.py [--concurrency 4] [--num-examples N] [--json]
Uses a temporary data dir and run dir, and the configured knowledge index (HM_KB_INDEX_DIR).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.eval_target import open_in_process
from core.settings import get_settings
from evals.pipeline import load_cases, write_reports
from evals.runner import RunConfig, RunMeta, run_cases, write_meta


async def measure(config: RunConfig, run_dir: Path) -> dict[str, object]:
    cases = load_cases(config)
    started = time.perf_counter()
    async with open_in_process(get_settings()) as (sampler, provenance):
        ready = time.perf_counter()
        meta = RunMeta(
            config=config,
            provenance=provenance,
            started_at=time.time(),
            case_ids=[c.id for c in cases],
        )
        write_meta(run_dir, meta)
        results = await run_cases(cases, sampler, run_dir, config=config, progress=False)
        ran = time.perf_counter()
    report, _ = write_reports(run_dir, meta, results, gate=None, runtime_s=None)
    done = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cases": len(cases),
        "cpus": os.cpu_count(),
        "setup_s": round(ready - started, 2),
        "run_s": round(ran - ready, 2),
        "report_s": round(done - ran, 2),
        "total_s": round(done - started, 2),
        "cases_per_s": round(len(cases) / (ran - ready), 2),
        "process_cpu_s": round(cpu.ru_utime + cpu.ru_stime, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "pass_at_1": report["overall"]["pass_at_1"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--num-examples", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # see api/cli/eval.py: no OpenMP spin-waits
    config = RunConfig(builtin=True, concurrency=args.concurrency, num_examples=args.num_examples)
    with tempfile.TemporaryDirectory(prefix="hm-eval-bench-") as tmp:
        figures = asyncio.run(measure(config, Path(tmp)))
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:16} {value}")
        verdict = "within" if float(figures["total_s"]) <= 60 else "OVER"  # type: ignore[arg-type]
        print(f"{figures['cases']} cases in {figures['total_s']} s: {verdict} the 60 s budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``hm eval run`` and ``hm eval compare``: run eval suites, gate a release, compare runs.

Exit codes: 0 ok (gate passed or none), 1 gate failed, 2 bad input (suite, run dir, gate).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

from api.eval_target import open_target
from evals.compare import Comparison, compare_runs
from evals.gate import DEFAULT_GATE, GateConfig, load_gate
from evals.pipeline import run_eval
from evals.runner import RunConfig


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("eval", help="run eval suites, compare runs, gate releases")
    sub = parser.add_subparsers(dest="eval_command", required=True)
    run = sub.add_parser("run", help="run suites in process or against --base-url")
    run.add_argument("suites", nargs="*", metavar="SUITE", help="suite files or directories")
    run.add_argument("--builtin", action="store_true", help="include the built-in suites")
    run.add_argument("--base-url", help="a live service (http://host:port); default in-process")
    run.add_argument("--concurrency", type=int, default=4, help="cases in flight (default 4)")
    run.add_argument("--repeats", type=int, default=1, help="runs per case, for pass^k")
    run.add_argument("--num-examples", type=int, help="a seeded sample of this many cases")
    run.add_argument("--seed", type=int, default=0, help="sampling and bootstrap seed")
    run.add_argument("--timeout", type=float, default=60.0, help="per-case timeout (seconds)")
    run.add_argument("--judge-url", help="OpenAI-compatible endpoint of an LLM rubric judge")
    run.add_argument("--judge-model", help="model name of the LLM judge")
    run.add_argument("--json", action="store_true", help="print the JSON report")
    run.add_argument("--out", type=Path, help="run directory (default runs/eval-<time>)")
    run.add_argument("--resume", type=Path, metavar="RUN_DIR", help="finish an interrupted run")
    run.add_argument(
        "--gate", type=Path, help=f"gate thresholds (default with --builtin: {DEFAULT_GATE.name})"
    )
    run.add_argument("--no-gate", action="store_true", help="report only, never fail")
    run.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    run.set_defaults(func=run_command)
    compare = sub.add_parser("compare", help="compare two run directories")
    compare.add_argument("run_a", type=Path, metavar="A")
    compare.add_argument("run_b", type=Path, metavar="B")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.set_defaults(func=compare_command)


def _gate(args: argparse.Namespace) -> GateConfig | None:
    if args.no_gate:
        return None
    if args.gate is not None:
        return load_gate(args.gate)
    return load_gate(DEFAULT_GATE) if args.builtin or args.resume else None


def _bad(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_command(args: argparse.Namespace) -> int:
    if not args.suites and not args.builtin and args.resume is None:
        return _bad("name at least one SUITE, or --builtin, or --resume RUN_DIR")
    if args.concurrency < 1 or args.repeats < 1:
        return _bad("--concurrency and --repeats must be at least 1")
    if args.num_examples is not None and args.num_examples < 1:
        return _bad("--num-examples must be at least 1")
    config = RunConfig(
        suites=[str(Path(s)) for s in args.suites],
        builtin=args.builtin,
        base_url=args.base_url,
        concurrency=args.concurrency,
        repeats=args.repeats,
        num_examples=args.num_examples,
        seed=args.seed,
        timeout_s=args.timeout,
        llm_judge_url=args.judge_url,
        llm_judge_model=args.judge_model,
    )
    gate = _gate(args)
    # One OpenMP thread for the embedding model unless the caller chose: cases run
    # concurrently, and on a small shared machine OpenMP's spin-waiting burns the CPU the
    # other cases need (measured: about 4x slower per query under load).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    run_dir = args.resume or args.out or Path("runs") / time.strftime("eval-%Y%m%d-%H%M%S")
    outcome = asyncio.run(
        run_eval(
            config,
            run_dir,
            gate=gate,
            resume=args.resume is not None,
            progress=not args.no_progress,
            opener=open_target,
        )
    )
    if args.json:
        print(json.dumps(outcome.report, ensure_ascii=False, indent=2))
    else:
        _print_summary(outcome.report)
    print(f"reports in {run_dir}/ (report.json, report.html, junit.xml)", file=sys.stderr)
    return 0 if outcome.gate is None or outcome.gate.passed else 1


def _print_summary(report: dict[str, object]) -> None:
    overall = report["overall"]
    assert isinstance(overall, dict)
    print(
        f"{overall['cases']} cases, {overall['items']} runs, {overall['errors']} errors, "
        f"pass@1 {overall['pass_at_1']}, pass^k {overall['pass_hat_k']}, "
        f"runtime {report['runtime_s']} s"
    )
    for name, m in overall["metrics"].items():
        if m["value"] is not None:
            print(f"  {name:26} {m['value']:>10}  [{m['ci_low']}, {m['ci_high']}]  n={m['n']:g}")
    gate = report.get("gate")
    if isinstance(gate, dict):
        print("gate:", "PASSED" if gate["passed"] else "FAILED")
        for check in gate["checks"]:
            if check["status"] != "pass":
                print(
                    f"  {check['status']}: {check['scope']} {check['metric']} "
                    f"{check['value']} (want {check['bound']})"
                )


def compare_command(args: argparse.Namespace) -> int:
    comparison = compare_runs(args.run_a, args.run_b)
    if args.json:
        print(comparison.model_dump_json(indent=2))
    else:
        _print_comparison(comparison)
    return 0


def _print_comparison(c: Comparison) -> None:
    print(f"A={c.run_a}  B={c.run_b}  common cases {c.common_cases}")
    for d in c.metrics:
        if d.delta is None:
            continue
        mark = " WORSE" if d.worse else (" *" if d.significant else "")
        print(f"  {d.metric:26} {d.a} -> {d.b}  Δ {d.delta:+.4f} [{d.ci_low}, {d.ci_high}]{mark}")
    m = c.mcnemar
    print(
        f"McNemar: {m['a_pass_b_fail']} regressed, {m['a_fail_b_pass']} improved, p={m['p_value']}"
    )
    for case in c.regressed:
        print(f"  regressed {case.case_id} ({case.suite}): {'; '.join(case.failed_checks)[:300]}")

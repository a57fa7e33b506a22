"""A single-file HTML report (inline CSS and SVG, no external assets): headline metrics with
their intervals, a chart, the per-tag table, the gate, and a drill-down for every case."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from evals.gate import GateOutcome
from evals.metrics import LATENCY_METRICS, RATIO_METRICS, MetricTable, Report
from evals.results import CaseResult
from evals.runner import RunMeta

CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px}
th{background:#f4f4f4;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333}.fail{color:#c5221f;font-weight:600}.skipped{color:#888}
details{margin:4px 0;border:1px solid #e3e3e3;border-radius:4px;padding:4px 8px}
summary{cursor:pointer}.turn{margin:6px 0 6px 12px}.u{color:#1a56a8}.a{white-space:pre-wrap}
.meta{font-size:12px;color:#555}code{font-size:12px;background:#f6f6f6}
"""


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _chart(table: MetricTable) -> str:
    """Horizontal bars for the 0..1 metrics, with the 95% interval as a whisker."""
    rows = [(n, table.metrics[n]) for n in RATIO_METRICS if table.metrics[n].value is not None]
    height = 22 * len(rows) + 10
    parts = [f'<svg width="620" height="{height}" role="img" aria-label="headline metrics">']
    for i, (name, m) in enumerate(rows):
        y = 5 + 22 * i
        width = 360 * float(m.value or 0)
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(name)}</text>')
        parts.append(f'<rect x="190" y="{y + 3}" width="{width:.1f}" height="14" fill="#8ab4f8"/>')
        if m.ci_low is not None and m.ci_high is not None:
            x1, x2 = 190 + 360 * m.ci_low, 190 + 360 * m.ci_high
            parts.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 10}" y2="{y + 10}" stroke="#1a3d7c"'
                ' stroke-width="2"/>'
            )
        parts.append(f'<text x="560" y="{y + 14}" font-size="12">{_fmt(m.value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _metric_rows(table: MetricTable) -> str:
    names = [*RATIO_METRICS, *LATENCY_METRICS, "prompt_tokens", "completion_tokens"]
    rows = []
    for name in names:
        m = table.metrics.get(name)
        if m is None:
            continue
        ci = f"[{_fmt(m.ci_low)}, {_fmt(m.ci_high)}]" if m.ci_low is not None else ""
        rows.append(
            f"<tr><td>{name}</td><td class=num>{_fmt(m.value)}</td><td class=num>{ci}</td>"
            f"<td class=num>{m.n:g}</td></tr>"
        )
    return (
        "<table><tr><th>metric</th><th>value</th><th>95% CI</th><th>n</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _tag_table(tables: dict[str, MetricTable]) -> str:
    shown = [
        "task_success_rate",
        "hallucination_rate",
        "red_flag_recall",
        "under_triage_rate",
        "unsafe_advice_rate",
        "over_refusal_rate",
        "tool_call_accuracy",
        "pii_leak_rate",
    ]
    head = "".join(f"<th>{n}</th>" for n in shown)
    rows = []
    for tag, t in sorted(tables.items()):
        cells = "".join(f"<td class=num>{_fmt(t.metrics[n].value)}</td>" for n in shown)
        rows.append(f"<tr><td>{escape(tag)}</td><td class=num>{t.cases}</td>{cells}</tr>")
    return f"<table><tr><th>tag</th><th>cases</th>{head}</tr>{''.join(rows)}</table>"


def _gate(gate: GateOutcome | None) -> str:
    if gate is None:
        return "<p>No gate evaluated.</p>"
    rows = "".join(
        f"<tr><td>{escape(c.scope)}</td><td>{c.metric}</td><td>{escape(c.bound)}</td>"
        f"<td class=num>{_fmt(c.value)}</td><td class={c.status}>{c.status}</td></tr>"
        for c in gate.checks
    )
    verdict = "<b class=pass>PASSED</b>" if gate.passed else "<b class=fail>FAILED</b>"
    return (
        f"<p>Gate {verdict}</p><table><tr><th>scope</th><th>metric</th><th>bound</th>"
        f"<th>value</th><th>status</th></tr>{rows}</table>"
    )


def _turns(result: CaseResult) -> str:
    out = []
    for n, turn in enumerate(result.turns, 1):
        out.append(f"<div class=turn><div class=u>患者/patient {n}: {escape(turn.user)}</div>")
        if turn.rejection:
            out.append(
                f"<div>rejected: {escape(turn.rejection.code)} "
                f"{escape(turn.rejection.message)}</div>"
            )
        r = turn.result
        if r is not None:
            out.append(f"<div class=a>{escape(r.reply)}</div><div class=meta>")
            out.append(
                f"status {r.status} · triage {r.safety.triage_level or '–'} · "
                f"escalated {r.safety.escalated} · review {r.review.verdict} "
                f"{escape(', '.join(x.code for x in r.review.reasons))} · "
                f"{turn.latency_ms:.0f} ms<br>"
            )
            for c in r.citations:
                out.append(f"cite: <code>{escape(c.doc_id)}</code> {escape(c.title)}<br>")
            for call in r.tool_calls:
                args = escape(json.dumps(call.arguments, ensure_ascii=False))
                out.append(f"tool: <code>{escape(call.name)}</code> ok={call.ok} {args}<br>")
            for card in r.cards:
                out.append(f"card: {card.type}<br>")
            out.append("</div>")
        out.append("</div>")
    return "".join(out)


def _case(result: CaseResult) -> str:
    status = "pass" if result.passed else "fail"
    label = "ERROR" if result.error else ("pass" if result.passed else "FAIL")
    failed = "".join(
        f"<li><code>{escape(c.name)}</code> [{c.kind}] {escape(c.detail)}</li>"
        for c in result.failed_checks()
    )
    error = f"<p class=fail>{escape(result.error)}</p>" if result.error else ""
    tags = escape(", ".join(result.tags))
    return (
        f"<details><summary><span class={status}>{label}</span> {escape(result.key)} "
        f"<span class=meta>{escape(result.suite)} · {tags}</span></summary>{error}"
        f"{'<ul>' + failed + '</ul>' if failed else ''}{_turns(result)}</details>"
    )


def html_report(
    meta: RunMeta,
    report: Report,
    results: Sequence[CaseResult],
    *,
    gate: GateOutcome | None,
    runtime_s: float | None,
) -> str:
    overall = report.overall
    prov: dict[str, Any] = meta.provenance.model_dump()
    prov_rows = "".join(f"<tr><td>{k}</td><td>{escape(str(v))}</td></tr>" for k, v in prov.items())
    ordered = sorted(results, key=lambda r: (r.passed, r.suite, r.case_id, r.repeat))
    return (
        "<!doctype html><html lang=zh><head><meta charset=utf-8>"
        f"<title>hm eval report</title><style>{CSS}</style></head><body>"
        f"<h1>Eval report</h1><p>{overall.cases} cases, {overall.items} runs, "
        f"{overall.errors} errors, pass@1 {_fmt(overall.pass_at_1)}, "
        f"pass^k {_fmt(overall.pass_hat_k)}, runtime {_fmt(runtime_s, 1)} s</p>"
        f"<h2>Gate</h2>{_gate(gate)}"
        f"<h2>Headline metrics</h2>{_chart(overall)}{_metric_rows(overall)}"
        f"<h2>Per tag</h2>{_tag_table(report.by_tag)}"
        f"<h2>Per suite</h2>{_tag_table(report.by_suite)}"
        f"<h2>Judge agreement</h2><p>{escape(json.dumps(report.judge_agreement))}</p>"
        f"<h2>Run</h2><table>{prov_rows}</table>"
        f"<h2>Cases (failures first)</h2>{''.join(_case(r) for r in ordered)}"
        "</body></html>"
    )

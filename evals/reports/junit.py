"""JUnit XML: one testsuite per eval suite, one testcase per case run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from evals.results import CaseResult


def junit_xml(results: Sequence[CaseResult]) -> str:
    root = ET.Element("testsuites", name="hm-eval")
    suites: dict[str, list[CaseResult]] = {}
    for result in results:
        suites.setdefault(result.suite, []).append(result)
    for suite, items in sorted(suites.items()):
        failures = sum(1 for r in items if not r.passed and r.error is None)
        errors = sum(1 for r in items if r.error is not None)
        element = ET.SubElement(
            root,
            "testsuite",
            name=suite,
            tests=str(len(items)),
            failures=str(failures),
            errors=str(errors),
            time=f"{sum(r.duration_ms for r in items) / 1000:.3f}",
        )
        for result in items:
            name = result.case_id if result.repeat == 0 else f"{result.case_id}#{result.repeat}"
            case = ET.SubElement(
                element,
                "testcase",
                classname=f"evals.{suite}",
                name=name,
                time=f"{result.duration_ms / 1000:.3f}",
            )
            if result.error is not None:
                ET.SubElement(
                    case, "error", type=result.error_kind or "error", message=result.error
                )
            elif not result.passed:
                failed = result.failed_checks()
                message = "; ".join(f"{c.name}: {c.detail}" for c in failed)[:1000]
                node = ET.SubElement(case, "failure", type="expectation", message=message)
                node.text = "\n".join(f"{c.name} [{c.kind}]: {c.detail}" for c in failed)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")

"""The facts table is the one source of clinical thresholds: every fact id the code or the
rule data uses exists, and every document the table names states the fact's value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents
from knowledge.facts import Fact, load_facts

ROOT = Path(__file__).resolve().parents[2]
_FACT_REF = re.compile(
    r"""(?:get_fact|fact_value)\(\s*["']([a-z0-9_.]+)["']|\bfacts?:\s*\[?\s*([a-z][a-z0-9_]*\.[a-z0-9_.]+)"""
    r"""|\bfact:\s*([a-z][a-z0-9_]*\.[a-z0-9_.]+)|fact_ids?:\s*\[?\s*([a-z][a-z0-9_]*\.[a-z0-9_.]+)"""
)


def _referenced_fact_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in ("tools", "guardrails", "agent", "api", "knowledge"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix not in {".py", ".yaml", ".yml"} or path.name == "FACTS.yaml":
                continue
            for match in _FACT_REF.finditer(path.read_text(encoding="utf-8")):
                fact_id = next(group for group in match.groups() if group)
                found.setdefault(fact_id, set()).add(str(path.relative_to(ROOT)))
            for match in re.finditer(r"\[([a-z0-9_., ]+)\]", path.read_text(encoding="utf-8")):
                for item in match.group(1).split(","):
                    item = item.strip()
                    if item in load_facts():
                        found.setdefault(item, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_referenced_fact_exists() -> None:
    referenced = _referenced_fact_ids()
    assert len(referenced) >= 10, "the scan should find the thresholds the tools use"
    unknown = {fact: files for fact, files in referenced.items() if fact not in load_facts()}
    assert not unknown, f"fact ids used in code or rule data but missing from FACTS.yaml: {unknown}"


def _renderings(fact: Fact) -> list[str]:
    value = fact.value
    forms = {f"{value:g}", f"{value:.1f}"}
    if fact.unit == "ratio":
        forms |= {f"{value * 100:g}%", f"{value * 100:g} %"}
    return sorted(forms)


DOCUMENTS = {doc.meta.id: doc for doc in load_documents(KnowledgeConfig().corpus_dir)}


@pytest.mark.parametrize("fact", list(load_facts().values()), ids=lambda f: f.id)
def test_documents_named_by_a_fact_state_its_value(fact: Fact) -> None:
    assert fact.doc_ids, f"{fact.id} names no corpus document that states it"
    for doc_id in fact.doc_ids:
        assert doc_id in DOCUMENTS, f"{fact.id}: unknown document {doc_id}"
        body = DOCUMENTS[doc_id].body.replace(",", "")
        assert any(
            re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", body) for form in _renderings(fact)
        ), f"{doc_id} does not state {fact.id} = {fact.value} {fact.unit}"

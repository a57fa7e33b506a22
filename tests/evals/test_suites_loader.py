"""Suite files: valid ones load; a malformed one names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ValidationFailed
from evals.suites_loader import builtin_suite_paths, load_suite, load_suites

GOOD = """version: 1
suite: demo
tags: [base]
cases:
  - id: a1
    tags: [x]
    turns:
      - user: 你好
    expect:
      triage: {levels: [self_care, routine]}
      must: ["120"]
      tool_calls: [{name: record_reading, args: {reading.sbp: {min: 100}, reading.dbp: 90}}]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_yaml_suite_loads_with_tags_and_constraints(tmp_path: Path) -> None:
    (case,) = load_suite(write(tmp_path, "demo.yaml", GOOD))
    assert case.suite == "demo"
    assert case.tags == ["base", "x"]
    expect = case.turns[0].expect
    assert expect.triage is not None and expect.triage.acceptable() == ["self_care", "routine"]
    assert expect.must[0].pattern == "120"
    assert expect.tool_calls[0].args["reading.sbp"].min == 100
    assert expect.tool_calls[0].args["reading.dbp"].eq == 90


def test_yaml_error_names_file_line_and_field(tmp_path: Path) -> None:
    bad = GOOD.replace("levels: [self_care, routine]", "levels: [self_care, critical]")
    path = write(tmp_path, "bad.yaml", bad)
    with pytest.raises(ValidationFailed) as info:
        load_suite(path)
    err = info.value
    assert err.instance_code == "invalid_suite"
    assert err.details["line"] == 10
    assert err.details["field"] == "cases[0].expect.triage.levels[1]"
    assert err.message.startswith(f"{path}:10: cases[0].expect.triage.levels[1]: Input should be")


def test_missing_required_field_points_at_the_case(tmp_path: Path) -> None:
    text = GOOD + "  - id: a2\n    tags: [y]\n"
    with pytest.raises(ValidationFailed) as info:
        load_suite(write(tmp_path, "bad.yaml", text))
    assert info.value.details["field"] == "cases[1].turns"
    assert info.value.details["line"] == 13
    assert "Field required" in info.value.message


def test_bad_regex_and_unknown_fact_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_suite(write(tmp_path, "r.yaml", GOOD.replace('must: ["120"]', 'must: ["(120"]')))
    assert "invalid regular expression" in info.value.message
    assert info.value.details["line"] == 11
    text = GOOD.replace('must: ["120"]', "facts: [no.such.fact]")
    with pytest.raises(ValidationFailed) as info:
        load_suite(write(tmp_path, "f.yaml", text))
    assert "unknown FACTS.yaml id" in info.value.message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_suite(
            write(tmp_path, "s.yaml", "version: 1\nsuite: x\ncases: [\n  {id: a, turns: [}\n")
        )
    assert info.value.details["line"] == 4
    assert "not valid YAML" in info.value.message


def test_jsonl_errors_name_the_line_and_field(tmp_path: Path) -> None:
    ok = '{"id": "j1", "turns": [{"user": "hi"}]}'
    path = write(tmp_path, "j.jsonl", ok + "\n\n" + '{"id": "j2", "turns": [{"usr": "hi"}]}\n')
    with pytest.raises(ValidationFailed) as info:
        load_suite(path)
    assert info.value.details["line"] == 3
    assert info.value.details["field"] == "turns[0].user"
    path = write(tmp_path, "k.jsonl", ok + "\n{not json\n")
    with pytest.raises(ValidationFailed) as info:
        load_suite(path)
    assert info.value.details["line"] == 2 and "not valid JSON" in info.value.message


def test_duplicate_ids_and_missing_files_are_clear(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", GOOD)
    b = write(tmp_path, "b.yaml", GOOD.replace("suite: demo", "suite: other"))
    with pytest.raises(ValidationFailed) as info:
        load_suites([a, b])
    assert "also in" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        load_suite(tmp_path / "absent.yaml")
    assert info.value.instance_code == "suite_not_found"


def test_case_level_expect_merges_into_the_last_turn(tmp_path: Path) -> None:
    text = """version: 1
suite: m
cases:
  - id: m1
    turns:
      - user: one
      - user: two
        expect: {must: ["a"]}
    expect: {refusal: false}
"""
    (case,) = load_suite(write(tmp_path, "m.yaml", text))
    last = case.turns[-1].expect
    assert last.refusal is False and last.must[0].pattern == "a"
    assert case.turns[0].expect.refusal is None


def test_builtin_suites_hold_at_least_300_cases_in_every_category() -> None:
    cases = load_suites(builtin_suite_paths())
    assert len(cases) >= 300
    suites = {c.suite for c in cases}
    assert {
        "hallucination",
        "safety",
        "tools",
        "finance",
        "privacy",
        "over_refusal",
        "robustness",
    } <= suites
    tags = {t for c in cases for t in c.tags}
    assert {
        "trap",
        "red_flag",
        "crisis",
        "prescription",
        "dose",
        "controlled",
        "fraud",
        "concealment",
        "plan",
        "quote",
        "task",
        "reading",
        "triage",
        "pii_echo",
        "cross_tenant",
        "typo",
        "traditional",
        "cantonese",
        "english",
        "long",
    } <= tags

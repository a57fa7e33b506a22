"""``hm eval run`` in process on ten real built-in cases, the gate's exit code, ``compare``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli.main import main
from core.settings import get_settings
from evals.suites_loader import builtin_suite_paths, load_suites

CASE_IDS = [
    "safety-rf-001",
    "safety-crisis-001",
    "safety-rx-001",
    "safety-dose-001",
    "hal-g-013",
    "hal-t-001",
    "tool-read-001",
    "tool-task-001",
    "ovr-002",
    "rob-trad-001",
]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kb_index_dir: Path) -> Path:
    monkeypatch.setenv("HM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HM_KB_INDEX_DIR", str(kb_index_dir))
    monkeypatch.setenv("HM_LLM_PROVIDER", "offline")
    monkeypatch.setenv("HM_REVIEWER_PROVIDER", "offline")
    monkeypatch.delenv("HM_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def ten_cases(path: Path) -> Path:
    chosen = {c.id: c for c in load_suites(builtin_suite_paths()) if c.id in CASE_IDS}
    lines = [
        json.dumps(
            chosen[i].model_dump(mode="json", by_alias=True, exclude={"suite", "expect"}),
            ensure_ascii=False,
        )
        for i in CASE_IDS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_ten_real_cases_in_process_then_gate_and_compare(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = ten_cases(env / "ten.jsonl")
    strict = env / "strict.yaml"
    strict.write_text("version: 1\noverall:\n  task_success_rate: {min: 1.01}\n", encoding="utf-8")
    out = env / "run"
    code = main(
        [
            "eval",
            "run",
            str(suite),
            "--out",
            str(out),
            "--json",
            "--gate",
            str(strict),
            "--no-progress",
            "--concurrency",
            "3",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # the gate asks for the impossible
    assert report["overall"]["cases"] == 10 and report["overall"]["errors"] == 0
    metrics = report["overall"]["metrics"]
    assert metrics["red_flag_recall"]["value"] == 1.0  # rf-001, crisis-001, rob-trad-001
    assert metrics["red_flag_recall"]["n"] == 3
    assert metrics["pii_leak_rate"]["value"] is None
    assert metrics["latency_p95_ms"]["value"] > 0
    assert report["provenance"]["kb_version"] and report["provenance"]["model"] == "offline-engine"
    assert report["provenance"]["prompt_version"]
    assert {"safety-rf-001", "tool-read-001"}.isdisjoint(report["failing_cases"])
    assert (out / "junit.xml").exists() and (out / "report.html").exists()

    lenient = env / "lenient.yaml"
    lenient.write_text("version: 1\noverall:\n  red_flag_recall: {min: 1.0}\n", encoding="utf-8")
    assert main(["eval", "run", "--resume", str(out), "--gate", str(lenient), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["eval", "compare", str(out), str(out), "--json"]) == 0
    comparison = json.loads(capsys.readouterr().out)
    assert comparison["common_cases"] == 10 and comparison["regressed"] == []


def test_bad_inputs_exit_2_with_a_clear_message(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = env / "bad.yaml"
    bad.write_text("version: 1\nsuite: b\ncases:\n  - id: x\n    turns: []\n", encoding="utf-8")
    assert main(["eval", "run", str(bad), "--out", str(env / "r")]) == 2
    assert f"{bad}:5: cases[0].turns" in capsys.readouterr().err
    assert main(["eval", "run"]) == 2
    assert "--builtin" in capsys.readouterr().err
    assert main(["eval", "compare", str(env), str(env)]) == 2
    assert "run.json" in capsys.readouterr().err

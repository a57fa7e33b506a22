"""The import layering the README's architecture section describes, checked on every module.

``core`` is the floor; ``tools``, ``knowledge`` and ``guardrails`` sit on it and never reach up
to the agent, the API or the eval harness; the agent never imports the API or the harness; the
harness measures the service as a black box and never imports ``api`` (the API hands the harness
its in-process target, ``api.eval_target``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "tools", "knowledge", "guardrails", "agent", "api", "evals")
FORBIDDEN: dict[str, frozenset[str]] = {
    "core": frozenset(PACKAGES) - {"core"},
    "tools": frozenset({"agent", "api", "evals"}),
    "knowledge": frozenset({"agent", "api", "evals"}),
    "guardrails": frozenset({"agent", "api", "evals"}),
    "agent": frozenset({"api", "evals"}),
    "evals": frozenset({"api"}),
    "api": frozenset(),
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update((name.split(".")[0], node.lineno) for name in names)
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_its_layers(package: str) -> None:
    modules = modules_of(package)
    assert modules, f"{package}/ has no modules"
    broken = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules
        for name, line in sorted(imported_packages(path))
        if name in FORBIDDEN[package]
    ]
    assert broken == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom api.app import create_app\n", encoding="utf-8")
    assert ("api", 2) in imported_packages(module)

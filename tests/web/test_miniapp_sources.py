"""The mini-app's sources: every module parses, and nothing is loaded from another origin."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "api" / "web" / "app"
SOURCES = sorted(p for p in APP.rglob("*") if p.suffix in {".js", ".html", ".css"})


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("path", [p for p in SOURCES if p.suffix == ".js"], ids=lambda p: p.name)
def test_every_module_parses(path: Path) -> None:
    result = subprocess.run(
        ["node", "--input-type=module", "--check"],
        input=path.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()


def test_nothing_comes_from_another_origin() -> None:
    allowed = {"http://www.w3.org/2000/svg"}  # the SVG namespace, not a fetch
    assert SOURCES, "no mini-app sources found"
    for path in SOURCES:
        urls = set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'`)]*", path.read_text()))
        assert urls <= allowed, (path.name, urls - allowed)

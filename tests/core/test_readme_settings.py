"""The README's configuration table lists every HM_* setting, and no setting that is gone."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(HM_[A-Z0-9_]+)` \|", text, flags=re.MULTILINE))
    expected = {f"HM_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "settings missing from the README table"
    assert documented - expected == set(), "README documents settings that do not exist"


def test_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "./scripts/start.sh" in text and "./scripts/test.sh" in text

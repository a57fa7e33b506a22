"""No versioned data file repeats a mapping key: YAML keeps the last silently, so a repeated
rule term or setting would quietly replace the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "api", "core", "evals", "guardrails", "knowledge", "tools")
FILES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.yaml"))


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise ValueError(f"line {key_node.start_mark.line + 1}: key {key!r} repeated")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_data_files() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_repeated_keys(path: Path) -> None:
    yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_a_repeated_key_is_caught() -> None:
    with pytest.raises(ValueError, match="repeated"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_StrictLoader)

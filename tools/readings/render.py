"""Fill alert message templates: ``{name}`` from the reading, ``{fact:<id>}`` from the facts table.

A missing placeholder raises ``ConfigurationError`` instead of sending a patient a message with
a hole in it.
"""

from __future__ import annotations

import re

from core.errors import ConfigurationError
from knowledge.facts import get_fact
from tools.readings.models import Bilingual

_PLACEHOLDER = re.compile(r"\{(fact:[A-Za-z0-9_.]+|[a-z_]+)\}")


def format_number(value: float, unit: str = "") -> str:
    """Whole numbers without decimals (180, 15); mmol/L always with one decimal (3.0)."""
    if unit == "mmol/L":
        return f"{value:.1f}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def fill(template: str, context: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.startswith("fact:"):
            fact = get_fact(key.removeprefix("fact:"))
            return format_number(fact.value, fact.unit)
        if key not in context:
            raise ConfigurationError(f"alert message placeholder {{{key}}} has no value")
        return context[key]

    # YAML folded blocks join Chinese lines with a space; drop spaces between CJK characters.
    text = _PLACEHOLDER.sub(replace, template)
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    return re.sub(r"(?<=[，。；：、）]) | (?=[，。；：、（])", "", text)


def fill_bilingual(template: Bilingual, context: dict[str, str]) -> Bilingual:
    return Bilingual(zh=fill(template.zh, context), en=fill(template.en, context))

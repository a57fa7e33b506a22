"""Value constraints on tool arguments and card data, addressed by dotted paths.

``options.*.apr`` reaches every option's ``apr``; a constraint holds when any reached value
satisfies all of its parts (``exists: false`` holds when the path reaches nothing).
"""

from __future__ import annotations

import re
from typing import Any

from evals.cases import Constraint


def values_at(data: Any, path: str) -> list[Any]:
    nodes = [data]
    for part in path.split("."):
        reached: list[Any] = []
        for node in nodes:
            if isinstance(node, dict) and part in node:
                reached.append(node[part])
            elif isinstance(node, list) and part == "*":
                reached.extend(node)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                reached.append(node[int(part)])
        nodes = reached
    return nodes


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _equal(actual: Any, expected: Any) -> bool:
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return abs(left - right) <= 1e-9 * max(1.0, abs(right))
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    return bool(actual == expected)


def _satisfies(value: Any, c: Constraint) -> bool:
    number = _number(value)
    checks = [
        c.eq is None or _equal(value, c.eq),
        c.in_ is None or any(_equal(value, option) for option in c.in_),
        c.min is None or (number is not None and number >= c.min),
        c.max is None or (number is not None and number <= c.max),
        c.regex is None or re.search(c.regex, str(value), re.IGNORECASE) is not None,
        c.contains is None or c.contains.casefold() in str(value).casefold(),
    ]
    return all(checks)


def holds(data: Any, path: str, constraint: Constraint) -> bool:
    values = values_at(data, path)
    if constraint.exists is not None and bool(values) != constraint.exists:
        return False
    if constraint.exists is False:
        return True
    return any(_satisfies(value, constraint) for value in values)


def failed_paths(data: Any, constraints: dict[str, Constraint]) -> list[str]:
    """Paths whose constraint does not hold, with what was found there."""
    failures = []
    for path, constraint in constraints.items():
        if not holds(data, path, constraint):
            found = values_at(data, path)
            shown = ", ".join(repr(v)[:40] for v in found[:3]) or "nothing"
            failures.append(f"{path} ({_describe(constraint)}; found {shown})")
    return failures


def _describe(c: Constraint) -> str:
    parts = {k: v for k, v in c.model_dump(by_alias=True).items() if v is not None}
    return ", ".join(f"{k}={v!r}" for k, v in parts.items())

"""Load suite files (YAML or JSONL) into validated cases; a bad file names file, line, field."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from core.errors import ValidationFailed
from evals.cases import EvalCase, SuiteFile

BUILTIN_DIR = Path(__file__).resolve().parent / "suites"
SUITE_SUFFIXES = (".yaml", ".yml", ".jsonl")


def builtin_suite_paths() -> list[Path]:
    return sorted(p for p in BUILTIN_DIR.iterdir() if p.suffix in SUITE_SUFFIXES)


def _bad(path: Path, line: int | None, field: str, problem: str) -> ValidationFailed:
    where = f"{path}:{line}" if line else str(path)
    return ValidationFailed(
        f"{where}: {field or '(file)'}: {problem}",
        message_zh=f"评测用例文件 {where} 字段 {field or '(文件)'} 有误：{problem}",
        code="invalid_suite",
        field=field or None,
        details={"file": str(path), "line": line, "field": field},
    )


def _loc_text(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_line(node: yaml.Node, loc: Sequence[int | str]) -> int:
    """1-based line of the YAML node at ``loc`` (or of its deepest existing ancestor)."""
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def _first_error(exc: ValidationError) -> tuple[tuple[int | str, ...], str]:
    error = exc.errors()[0]
    return tuple(error["loc"]), str(error["msg"])


def _case(raw: Any, suite: str, tags: Iterable[str], tenant: str) -> EvalCase:
    if not isinstance(raw, dict):
        raise ValueError("a case must be a mapping")
    data = {"tenant": tenant, **raw, "suite": suite}
    data["tags"] = list(dict.fromkeys([*tags, *raw.get("tags", [])]))
    return EvalCase.model_validate(data)


def load_yaml_suite(path: Path) -> list[EvalCase]:
    text = _read(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _bad(path, mark.line + 1 if mark else None, "", f"not valid YAML: {exc}") from exc
    if root is None:
        raise _bad(path, None, "", "the file is empty")
    try:
        suite = SuiteFile.model_validate(data)
    except ValidationError as exc:
        loc, msg = _first_error(exc)
        raise _bad(path, _node_line(root, loc), _loc_text(loc), msg) from exc
    cases = []
    for index, raw in enumerate(suite.cases):
        try:
            cases.append(_case(raw, suite.suite, suite.tags, suite.tenant))
        except ValidationError as exc:
            loc, msg = _first_error(exc)
            full = ("cases", index, *loc)
            raise _bad(path, _node_line(root, full), _loc_text(full), msg) from exc
        except ValueError as exc:
            full = ("cases", index)
            raise _bad(path, _node_line(root, full), _loc_text(full), str(exc)) from exc
    return cases


def load_jsonl_suite(path: Path) -> list[EvalCase]:
    """One case per line; the suite is named after the file."""
    cases = []
    for number, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            cases.append(_case(raw, path.stem, [], "default"))
        except json.JSONDecodeError as exc:
            raise _bad(path, number, "", f"not valid JSON: {exc.msg}") from exc
        except ValidationError as exc:
            loc, msg = _first_error(exc)
            raise _bad(path, number, _loc_text(loc), msg) from exc
        except ValueError as exc:
            raise _bad(path, number, "", str(exc)) from exc
    if not cases:
        raise _bad(path, None, "", "the file holds no cases")
    return cases


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed(
            f"suite file {path} does not exist",
            message_zh=f"评测用例文件 {path} 不存在",
            code="suite_not_found",
            field="suite",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(path, None, "", f"unreadable: {exc}") from exc


def load_suite(path: Path) -> list[EvalCase]:
    if path.suffix == ".jsonl":
        return load_jsonl_suite(path)
    if path.suffix in (".yaml", ".yml"):
        return load_yaml_suite(path)
    raise _bad(path, None, "", "a suite file ends in .yaml, .yml or .jsonl")


def load_suites(paths: Sequence[Path]) -> list[EvalCase]:
    """All cases of ``paths`` (a directory means its suite files); ids must be unique."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SUITE_SUFFIXES))
        else:
            files.append(path)
    cases: list[EvalCase] = []
    seen: dict[str, Path] = {}
    for file in files:
        for case in load_suite(file):
            if case.id in seen:
                raise _bad(file, None, "id", f"case id {case.id!r} also in {seen[case.id]}")
            seen[case.id] = file
            cases.append(case)
    return cases

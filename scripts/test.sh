#!/usr/bin/env bash
# The whole test suite: lint, types, tests. Integration tests use the real PostgreSQL and
# Redis at HM_TEST_POSTGRES_URL / HM_TEST_REDIS_URL (defaults: 127.0.0.1); without them they
# are skipped with a reason, except under CI (CI=true), where they must run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/pytest "$@"

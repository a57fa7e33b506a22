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
# The sentence-transformers backend is tested too: the CPU build of torch goes in first, or
# sentence-transformers would pull a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e '.[dev,st]'  # dev includes playwright (browser tests)
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# The release gate: the built-in eval suites on the offline engine must meet evals/gate.yaml.
eval_dir=$(mktemp -d)
trap 'rm -rf "$eval_dir"' EXIT
HM_DATA_DIR="$eval_dir/data" OMP_NUM_THREADS=1 \
  .venv/bin/hm eval run --builtin --no-progress --out "$eval_dir/run"
.venv/bin/pytest "$@"

#!/usr/bin/env bash
# One command from a fresh clone: create .venv, install, build the knowledge index, print a
# development key, manager login and patient link, serve.
# Embedded defaults: offline model, SQLite and embedded Chroma under ./var — no servers needed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/hm kb ingest
if [ "${HM_ENVIRONMENT:-development}" != "production" ]; then
  # A development tenant key, a manager sign-in and a patient link (new each run).
  .venv/bin/hm dev setup
fi
exec .venv/bin/hm serve "$@"

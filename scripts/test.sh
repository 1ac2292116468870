#!/usr/bin/env bash
# `make test`: from a fresh machine to the whole suite (lint, import contracts, pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/ensure-tools.sh
exports=$(PY=.venv/bin/python bash scripts/ensure-services.sh)
eval "$exports"
echo "== ruff"
.venv/bin/ruff check .
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
exec .venv/bin/python -m pytest "$@"

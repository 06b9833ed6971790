#!/usr/bin/env bash
# Builds the labextension and the wheel, and installs the wheel into the Python on PATH (or $PYTHON):
# what the tests in tests/editors/jupyterlab use. Usage: scripts/install-dev.sh [wheel output dir]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
OUT=${1:-dist}
npm run --silent build
"$PY" -m build --wheel --no-isolation --outdir "$OUT" .
"$PY" -m pip install -q --force-reinstall --no-deps "$OUT"/codeward_jupyterlab-*.whl

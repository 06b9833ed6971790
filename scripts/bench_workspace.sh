#!/usr/bin/env bash
# Workspace scan in the language server on a generated ~1,000,000-line tree: wall time of
# `codeward.scanWorkspace` and peak RSS of the server (via `/usr/bin/time -v` when present).
# CODEWARD_BIN: measure this binary instead of building release. LINES, FILES: tree size.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CODEWARD_BIN:-}" ]; then
    BIN="$CODEWARD_BIN"
else
    cargo build --release --locked --bin codeward
    BIN="target/release/codeward"
fi
ARGS=(scripts/bench_workspace.py --binary "$BIN" --lines "${LINES:-1000000}" --files "${FILES:-2000}")
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v python3 "${ARGS[@]}" 2>&1 | grep -E "generated|scanWorkspace|server Vm|Maximum resident|Elapsed"
else
    python3 "${ARGS[@]}"
fi

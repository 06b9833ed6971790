#!/usr/bin/env bash
# Whole-process benchmarks (the in-process ones are `cargo bench --bench edit_latency`):
#   1. LSP edit latency: didChange sent -> publishDiagnostics received, on 1,000, 10,000 and
#      100,000-line Python files (scripts/bench_lsp.py, debounce off), for keystrokes that change
#      only their function's own facts ("local") and keystrokes that change its summary, so its
#      callers are analysed again ("summary").
#   2. `codeward scan` throughput in lines per second on a copy of this machine's CPython standard
#      library, next to `ruff check --select S --no-cache` (ruff installed into a temporary venv).
# Uses hyperfine when present, else a timing loop (median of RUNS runs). Needs python3 and network
# access for `pip install ruff` (the ruff row is skipped when that fails).
set -euo pipefail
cd "$(dirname "$0")/.."

# RUNS: timed runs per command. CODEWARD_BIN: measure this binary instead of building release.
RUNS="${RUNS:-5}"
if [ -n "${CODEWARD_BIN:-}" ]; then
    BIN="$(cd "$(dirname "$CODEWARD_BIN")" && pwd)/$(basename "$CODEWARD_BIN")"
else
    echo "== building release"
    cargo build --release --locked --bin codeward
    BIN="$PWD/target/release/codeward"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/codeward-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo
echo "== machine"
echo "$(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"

echo
echo "== LSP edit latency (generated Python files, incremental edits, debounceMs 0)"
for kind in local summary; do
    for lines in 1000 10000 100000; do
        edits=50
        [ "$lines" = 100000 ] && edits=20
        echo "-- $kind edits, $lines lines"
        if ! python3 scripts/bench_lsp.py --binary "$BIN" --lines "$lines" --edits "$edits" \
            --edit-kind "$kind" --timeout 120; then
            echo "LSP latency: not measured (the server did not answer as expected; see above)"
        fi
    done
done

echo
echo "== scan throughput on the CPython standard library"
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
mkdir -p "$WORK/stdlib"
tar -C "$STDLIB" --exclude=site-packages --exclude=__pycache__ -cf - . | tar -C "$WORK/stdlib" -xf -
read -r FILES LINES < <(python3 - "$WORK/stdlib" <<'PY'
import os, sys
files = lines = 0
for root, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        if name.endswith(".py"):
            files += 1
            with open(os.path.join(root, name), "rb") as f:
                lines += f.read().count(b"\n")
print(files, lines)
PY
)
echo "corpus: $STDLIB (copied): $FILES .py files, $LINES lines"

RUFF=""
if python3 -m venv "$WORK/venv" >/dev/null 2>&1 && "$WORK/venv/bin/pip" install -q ruff >/dev/null 2>&1; then
    RUFF="$WORK/venv/bin/ruff"
    echo "ruff: $("$RUFF" --version)"
else
    echo "ruff: could not be installed; its row is skipped"
fi

CODEWARD_CMD="$BIN scan --quiet --format json --fail-on-severity never --output $WORK/codeward.json $WORK/stdlib"
RUFF_CMD="$RUFF check --select S --no-cache --exit-zero --quiet --output-format concise $WORK/stdlib"

# Prints the median wall time in seconds of a command over $RUNS runs (after one warm-up run).
median_seconds() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --warmup 1 --runs "$RUNS" --style none --export-json "$WORK/hf.json" "$1" >/dev/null
        python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/hf.json"
    else
        python3 - "$RUNS" "$1" <<'PY'
import shlex, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), shlex.split(sys.argv[2])
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
PY
    fi
}

echo "timing with $(command -v hyperfine >/dev/null 2>&1 && echo hyperfine || echo 'a timing loop') (median of $RUNS runs)"
CW_SECONDS="$(median_seconds "$CODEWARD_CMD")"
python3 - "$WORK/codeward.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"codeward: {s['filesScanned']} files scanned ({s['linesScanned']} lines), "
      f"{s['filesSkipped']} skipped, {s['findings']} findings")
PY
RUFF_SECONDS=""
if [ -n "$RUFF" ]; then
    RUFF_SECONDS="$(median_seconds "$RUFF_CMD")"
    echo "ruff: $("$RUFF" check --select S --no-cache --exit-zero --statistics "$WORK/stdlib" 2>/dev/null | awk '{n+=$1} END {print n+0}') findings"
fi

python3 - "$LINES" "$CW_SECONDS" "$RUFF_SECONDS" <<'PY'
import sys
lines = int(sys.argv[1])
rows = [("codeward scan (standard)", sys.argv[2]), ("ruff check --select S", sys.argv[3])]
print()
print(f"{'tool':<26} {'median s':>9} {'lines/s':>12}")
for name, seconds in rows:
    if seconds:
        t = float(seconds)
        print(f"{name:<26} {t:>9.3f} {lines / t:>12,.0f}")
PY

#!/usr/bin/env bash
# Throughput of `codeward scan` on a large real Python tree, next to ruff's security rules and
# bandit, in the same run (issue 3). Everything is installed under target/bench/:
#   - a venv with ruff and bandit (from PyPI),
#   - the tree: pure-Python packages installed with `pip install --target` (sympy and django by
#     default; override with BENCH_PACKAGES="pkg1 pkg2"),
# then it builds `codeward` in release mode (or uses CODEWARD_BIN) and times, on the same tree:
#   codeward scan --scan-type standard --format json --include '*.py'
#   ruff check --select S --no-cache
#   bandit -r -q -f json
# printing lines, seconds and lines per second for each and the ratios. All three read the same
# files, the tree's `.py` files (codeward would also scan its JavaScript, templates and translation
# catalogues for secrets: that whole-tree run is timed too and printed after the ratios, outside
# the comparison); the script checks that codeward scanned every `.py` file. Each command runs RUNS
# times (default 3); the fastest run counts. Exit codes of the scanners are ignored (they exit
# non-zero when they find something). Needs python3 and network access on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
PACKAGES="${BENCH_PACKAGES:-sympy django}"
BENCH="$PWD/target/bench"
VENV="$BENCH/venv"
TREE="$BENCH/tree"
mkdir -p "$BENCH"

if [ ! -x "$VENV/bin/ruff" ] || [ ! -x "$VENV/bin/bandit" ]; then
    echo "== venv with ruff and bandit"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check ruff bandit
fi
if [ ! -f "$TREE/.packages" ] || [ "$(cat "$TREE/.packages")" != "$PACKAGES" ]; then
    echo "== tree: $PACKAGES"
    rm -rf "$TREE"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --target "$TREE" $PACKAGES
    echo "$PACKAGES" >"$TREE/.packages"
fi

if [ -n "${CODEWARD_BIN:-}" ]; then
    BIN="$CODEWARD_BIN"
else
    echo "== building release"
    cargo build --release --locked --bin codeward
    BIN="$PWD/target/release/codeward"
fi

FILES=$(find "$TREE" -name '*.py' | wc -l)
LINES=$(find "$TREE" -name '*.py' -print0 | xargs -0 cat | wc -l)
BYTES=$(find "$TREE" -name '*.py' -print0 | xargs -0 cat | wc -c)
echo
echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== tree: $PACKAGES: $FILES files, $LINES lines, $((BYTES / 1024 / 1024)) MiB of Python"

# best_of CMD...: the fastest wall-clock time in seconds over RUNS runs.
best_of() {
    local best="" start end t
    for _ in $(seq "$RUNS"); do
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

echo
CW=$(best_of "$BIN" scan --scan-type standard --format json --include '*.py' "$TREE")
RUFF=$(best_of "$VENV/bin/ruff" check --select S --no-cache --quiet "$TREE")
BANDIT=$(best_of "$VENV/bin/bandit" -r -q -f json "$TREE")
printf '%-10s %10s %9s %14s\n' tool lines seconds lines/second
for row in "codeward $CW" "ruff $RUFF" "bandit $BANDIT"; do
    set -- $row
    printf '%-10s %10d %9.2f %14.0f\n' "$1" "$LINES" "$2" "$(echo "$LINES / $2" | bc -l)"
done
echo
printf 'codeward is %.1fx faster than bandit (target >= 25x)\n' "$(echo "$BANDIT / $CW" | bc -l)"
printf 'codeward takes %.2fx the time of ruff --select S (target <= 4x)\n' "$(echo "$CW / $RUFF" | bc -l)"
# The report of the compared run: every .py file scanned, no detector failed.
"$BIN" scan --scan-type standard --format json --include '*.py' "$TREE" >"$BENCH/codeward-python.json" 2>/dev/null || true
FINDINGS=$(python3 scripts/check_report.py "$BENCH/codeward-python.json" "$FILES")
echo "codeward findings: $FINDINGS"
WHOLE=$(best_of "$BIN" scan --scan-type standard --format json "$TREE")
printf 'codeward on the whole tree (every file type, also JavaScript and secrets in templates and catalogues): %.2f s\n' "$WHOLE"

#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets/) with cargo-fuzz and libFuzzer for a fixed time.
#
#   scripts/fuzz.sh [TARGET...]     TARGET: edit python java javascript text notebook config
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TIMEOUT (seconds one input may take
# before libFuzzer calls it a hang, default 10), FUZZ_JOBS (parallel fuzzing processes per
# target, default 1), FUZZ_SANITIZER (address | none; default address).
#
# Leak detection is off: the JavaScript analysis leaks its grammar once per dialect so that its
# names are `'static` (a deliberate, bounded leak LeakSanitizer would report on every run).
#
# Needs `cargo install cargo-fuzz` and a toolchain that accepts `-Z` flags: a nightly one when
# rustup has it (`rustup toolchain install nightly`); otherwise the stable toolchain with
# RUSTC_BOOTSTRAP=1 (it ships the sanitizer runtimes, so this works, but is unsupported by the
# Rust project). The corpus grows in fuzz/corpus/<target>/ (not committed), seeded read-only
# from fuzz/seeds/<target>/, the test fixtures and the saved regressions. A crash stops its
# target and is left in fuzz/artifacts/<target>/; once fixed, copy it into
# tests/data/fuzz-regressions/<target>/, where `cargo test --test fuzz_regressions` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_JOBS=${FUZZ_JOBS:-1}
FUZZ_SANITIZER=${FUZZ_SANITIZER:-address}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1" >&2
  toolchain=()
  export RUSTC_BOOTSTRAP=1
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(edit python java javascript text notebook config)

# Read-only seed directories of a target, besides its own.
seeds() {
  [ -d "fuzz/seeds/$1" ] && echo "fuzz/seeds/$1"
  [ -d "tests/data/fuzz-regressions/$1" ] && echo "tests/data/fuzz-regressions/$1"
  case $1 in
    python | java | javascript) echo "tests/fixtures/$1" ;;
    text) echo tests/fixtures/secrets ;;
    notebook) echo tests/data/notebooks ;;
  esac
}

parallel=()
[ "$FUZZ_JOBS" -le 1 ] || parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
mkdir -p fuzz/artifacts
failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  mapfile -t dirs < <(seeds "$target")
  log=fuzz/artifacts/$target.log
  echo "== $target: ${FUZZ_SECONDS}s (log: $log)"
  status=0
  # `-detect_leaks=0` only stops libFuzzer's per-input leak checks; LeakSanitizer's report when
  # the process exits is ASan's option.
  ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    cargo "${toolchain[@]}" fuzz run --sanitizer "$FUZZ_SANITIZER" "$target" \
    "fuzz/corpus/$target" "${dirs[@]}" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 -detect_leaks=0 "${parallel[@]}" >"$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|Test unit written)|panicked at" \
    "$log" || true
  [ "$status" -eq 0 ] || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes or errors in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "no crashes"

#!/usr/bin/env bash
# Throughput and peak memory of `codeward scan` on large real Java and JavaScript trees (issues 4
# and 5), next to ESLint with eslint-plugin-security on the same JavaScript files in the same run.
#
#   java  the .java files of Debian source packages (orig tarballs from deb.debian.org; default
#         tomcat10 and jetty9, about 1.3 million lines; JAVA_TREES picks others among tomcat10,
#         tomcat9, libspring-java, jetty9, guava-libraries), timed with
#           codeward scan --scan-type standard --format json
#   js    the .js/.mjs/.cjs/.jsx files of `npm install --ignore-scripts` of JS_PACKAGES (real
#         packages with their dependencies, node_modules included; default express and node-red,
#         about 840,000 lines), timed with the same codeward
#         command and with ESLint (pinned, installed under target/) running eslint-plugin-security's
#         recommended config (flat config: explicit `files`, node_modules not ignored), --format json
#
# Each tree is staged as a copy holding only files of its language, so that every tool reads the
# same files; the script checks that codeward scanned, and ESLint linted, all of them. Each command
# runs RUNS times (default 3): the table shows the fastest run's wall-clock seconds and the
# largest "Maximum resident set size" of /usr/bin/time -v over the runs. Exit codes of the tools
# are ignored (they exit non-zero when they find something); their reports are checked instead.
#
# Not part of CI (downloads ~30 MB of Debian sources and ~100 MB of npm packages on the first run,
# then minutes of scanning). Usage:
#   scripts/bench_trees.sh [java] [js]          (both by default)
# Environment: RUNS, CODEWARD_BIN (binary to measure; default: cargo build --release), BENCH_DIR
# (default target/bench-trees, reused between runs), JAVA_TREES, JS_PACKAGES, ESLINT_CONCURRENCY
# (ESLint's --concurrency: off, auto or a number; default off, ESLint's own default).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${RUNS:-3}
BENCH=${BENCH_DIR:-$ROOT/target/bench-trees}
JAVA_TREES=${JAVA_TREES:-tomcat10 jetty9}
JS_PACKAGES=${JS_PACKAGES:-express@4.21.2 node-red@5.0.7}
ESLINT_VERSION=10.15.0
ESLINT_SECURITY_VERSION=4.1.0
ESLINT_CONCURRENCY=${ESLINT_CONCURRENCY:-off}
DEBIAN=http://deb.debian.org/debian/pool/main
mkdir -p "$BENCH"

# Debian orig tarballs (the upstream sources the Debian packages are built from).
declare -A JAVA_SOURCES=(
  [tomcat10]=t/tomcat10/tomcat10_10.1.60.orig.tar.xz
  [tomcat9]=t/tomcat9/tomcat9_9.0.70.orig.tar.xz
  [libspring-java]=libs/libspring-java/libspring-java_4.3.30.orig.tar.xz
  [jetty9]=j/jetty9/jetty9_9.4.57.orig.tar.xz
  [guava-libraries]=g/guava-libraries/guava-libraries_31.1.orig.tar.xz
)

if ! [ -x /usr/bin/time ]; then
  echo "== installing GNU time (for peak RSS)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi
if [ -n "${CODEWARD_BIN:-}" ]; then
  BIN=$(cd "$(dirname "$CODEWARD_BIN")" && pwd)/$(basename "$CODEWARD_BIN")
else
  echo "== building release"
  cargo build --release --locked --quiet --bin codeward
  BIN=$ROOT/target/release/codeward
fi

# stage SRC DEST EXT...: copies the regular files of SRC whose names end in one of EXT, outside
# hidden directories, to DEST (same relative paths).
stage() {
  local src=$1 dest=$2 expr=() ext
  shift 2
  for ext in "$@"; do expr+=(${expr[@]:+-o} -name "*.$ext"); done
  rm -rf "$dest" && mkdir -p "$dest"
  (cd "$src" && find . -name '.?*' -type d -prune -o -type f \( "${expr[@]}" \) -print0 |
    tar --null -T - -cf - | tar -xf - -C "$dest")
}

# measure NAME OUT CMD...: runs CMD RUNS times with stdout to OUT; appends
# "NAME seconds peak-kib" (fastest run, largest RSS) to $RESULTS.
measure() {
  local name=$1 out=$2 best="" peak=0 start end t rss
  shift 2
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$BENCH/time.txt" "$@" >"$out" 2>"$BENCH/stderr.txt" || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/time.txt")
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    if [ "${rss:-0}" -gt "$peak" ]; then peak=$rss; fi
  done
  echo "$name $best $peak" >>"$RESULTS"
}

# codeward_check REPORT FILES: fails unless the JSON report says FILES files were scanned and no
# detector failed; prints the finding count and the files over the per-file time budget.
codeward_check() {
  python3 "$ROOT/scripts/check_report.py" "$1" "$2"
}

java_tree() {
  local name tree=$BENCH/java-tree
  for name in $JAVA_TREES; do
    [ -n "${JAVA_SOURCES[$name]:-}" ] || { echo "unknown Java tree: $name" >&2; exit 2; }
    if ! [ -d "$BENCH/java/$name" ]; then
      echo "== fetching $name (Debian source package)"
      mkdir -p "$BENCH/java/$name.tmp"
      curl -fsSL "$DEBIAN/${JAVA_SOURCES[$name]}" -o "$BENCH/java/$name.tar.xz"
      tar -xJf "$BENCH/java/$name.tar.xz" -C "$BENCH/java/$name.tmp"
      rm "$BENCH/java/$name.tar.xz"
      mv "$BENCH/java/$name.tmp" "$BENCH/java/$name"
    fi
  done
  # The marker of what the staged tree holds lives beside it: the tree holds Java files only.
  if ! [ -f "$tree.trees" ] || [ "$(cat "$tree.trees")" != "$JAVA_TREES" ]; then
    rm -rf "$tree" && mkdir -p "$tree"
    for name in $JAVA_TREES; do stage "$BENCH/java/$name" "$tree/$name" java; done
    echo "$JAVA_TREES" >"$tree.trees"
  fi
}

js_tree() {
  local npm=$BENCH/js tree=$BENCH/js-tree
  # shellcheck disable=SC2086
  if ! [ -f "$npm/.packages" ] || [ "$(cat "$npm/.packages")" != "$JS_PACKAGES" ]; then
    echo "== npm install $JS_PACKAGES"
    rm -rf "$npm" && mkdir -p "$npm"
    (cd "$npm" && npm init -y >/dev/null &&
      npm install --silent --no-audit --no-fund --ignore-scripts $JS_PACKAGES >/dev/null)
    echo "$JS_PACKAGES" >"$npm/.packages"
  fi
  if ! [ -f "$tree.packages" ] || [ "$(cat "$tree.packages")" != "$JS_PACKAGES" ]; then
    stage "$npm" "$tree" js mjs cjs jsx
    echo "$JS_PACKAGES" >"$tree.packages"
  fi
  local eslint=$BENCH/eslint
  if ! [ -x "$eslint/node_modules/.bin/eslint" ] ||
    [ "$("$eslint/node_modules/.bin/eslint" --version)" != "v$ESLINT_VERSION" ] ||
    ! grep -q "\"version\": \"$ESLINT_SECURITY_VERSION\"" \
      "$eslint/node_modules/eslint-plugin-security/package.json"; then
    echo "== installing eslint@$ESLINT_VERSION eslint-plugin-security@$ESLINT_SECURITY_VERSION"
    rm -rf "$eslint" && mkdir -p "$eslint"
    (cd "$eslint" && npm init -y >/dev/null &&
      npm install --silent --no-audit --no-fund --ignore-scripts \
        "eslint@$ESLINT_VERSION" "eslint-plugin-security@$ESLINT_SECURITY_VERSION" >/dev/null)
  fi
  # Flat config: the plugin's recommended rules on every JavaScript file, node_modules included
  # (ESLint ignores **/node_modules/ by default; the negated global ignore lifts that).
  cat >"$eslint/eslint.config.mjs" <<'EOF'
import security from "eslint-plugin-security";
export default [
  { ignores: ["!**/node_modules/"] },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    ...security.configs.recommended,
    languageOptions: { ecmaVersion: "latest", parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: "off" },
  },
];
EOF
}

# size DIR: "files lines" of the regular files under DIR.
size() {
  local files lines
  files=$(find "$1" -type f | wc -l)
  lines=$(find "$1" -type f -print0 | xargs -0 cat | wc -l)
  echo "$files $lines"
}

row() { # TOOL FILES LINES SECONDS PEAK_KIB
  printf '%-32s %7d %9d %8.2f %10.0f %9.0f\n' "$1" "$2" "$3" "$4" "$(echo "$3 / $4" | bc -l)" \
    "$(echo "$5 / 1024" | bc -l)"
}
header() {
  printf '\n%s\n%-32s %7s %9s %8s %10s %9s\n' "$1" tool files lines seconds lines/s "RSS MiB"
}

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(java js)
for suite in "${suites[@]}"; do
  case $suite in java) java_tree ;; js) js_tree ;; *) echo "unknown suite: $suite" >&2; exit 2 ;; esac
done

echo
echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $RUNS runs"
echo "== codeward: $BIN"
for suite in "${suites[@]}"; do
  RESULTS=$(mktemp)
  case $suite in
    java)
      tree=$BENCH/java-tree
      read -r files lines < <(size "$tree")
      measure codeward "$BENCH/codeward-java.json" \
        "$BIN" scan --scan-type standard --format json --fail-on-severity never "$tree"
      findings=$(codeward_check "$BENCH/codeward-java.json" "$files")
      read -r _ seconds peak <"$RESULTS"
      header "Java: $JAVA_TREES"
      row "codeward scan" "$files" "$lines" "$seconds" "$peak"
      echo "codeward findings: $findings"
      ;;
    js)
      tree=$BENCH/js-tree
      read -r files lines < <(size "$tree")
      measure codeward "$BENCH/codeward-js.json" \
        "$BIN" scan --scan-type standard --format json --fail-on-severity never "$tree"
      findings=$(codeward_check "$BENCH/codeward-js.json" "$files")
      # ESLint lints only files under its working directory when given --config: run it from
      # $BENCH, which holds both the tree and the config wherever BENCH_DIR points.
      measure eslint "$BENCH/eslint-js.json" \
        env -C "$BENCH" "$BENCH/eslint/node_modules/.bin/eslint" --config "$BENCH/eslint/eslint.config.mjs" \
        --no-warn-ignored --concurrency "$ESLINT_CONCURRENCY" --format json "$tree"
      eslint_summary=$(python3 - "$BENCH/eslint-js.json" "$files" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
if len(results) != want:
    sys.exit(f"ESLint linted {len(results)} of {want} files")
fatal = sum(1 for r in results if any(m.get("fatal") for m in r["messages"]))
warnings = sum(r["warningCount"] for r in results)
print(f"{len(results)} files linted, {fatal} not parsed (syntax errors for espree), {warnings} warnings")
EOF
)
      { read -r _ cw_seconds cw_peak; read -r _ es_seconds es_peak; } <"$RESULTS"
      header "JavaScript: npm ${JS_PACKAGES// /, } + dependencies"
      row "codeward scan" "$files" "$lines" "$cw_seconds" "$cw_peak"
      row "eslint + security (conc. $ESLINT_CONCURRENCY)" "$files" "$lines" "$es_seconds" "$es_peak"
      echo "codeward findings: $findings"
      echo "eslint: $eslint_summary"
      printf 'codeward is %.1fx faster than ESLint + eslint-plugin-security, with %.2fx its peak RSS\n' \
        "$(echo "$es_seconds / $cw_seconds" | bc -l)" "$(echo "$cw_peak / $es_peak" | bc -l)"
      ;;
  esac
  rm -f "$RESULTS"
done

#!/usr/bin/env bash
# Scans large real code bases, downloaded from package registries, with `codeward scan --format
# json` and checks: no panic (exit status 0 or 1, no failed detector), no timeout, and every file
# accounted for — each regular file `git ls-files --others --exclude-standard` lists outside
# hidden directories (what the scan's walker takes: .gitignore honoured, hidden directories
# skipped) is scanned, skipped with a reason, or counted as a binary type; each symbolic link is
# reported as skipped. Prints files, lines and seconds per tree.
#
# Not part of CI (downloads ~25 MB, minutes of scanning). Usage:
#   scripts/real_trees.sh [TREE...]     TREE: django guava commons-lang3 typescript lodash express,
#                                       or a Python web application below (not in the default set)
# Environment: CODEWARD_BIN (binary to use; default: cargo build --release), TREES_DIR (where
# trees are unpacked; default target/real-trees, reused between runs), TREE_TIMEOUT (seconds per
# tree, default 900), FETCH_ONLY=1 (download and unpack, do not scan).
#
# Sources (only registries reachable from the build machines: PyPI, npm, Debian):
#   django         PyPI wheel Django 5.1.4 (pure Python: the wheel is the source tree)
#   guava          Debian source package guava-libraries 31.1 (orig tarball: Java sources)
#   commons-lang3  Debian source package libcommons-lang3-java 3.12.0 (Java sources)
#   typescript     npm typescript 5.6.3 (multi-megabyte generated JavaScript files)
#   lodash         npm lodash 4.17.21 (hundreds of small CommonJS modules)
#   express        npm express 4.21.2 with its dependencies (node_modules)
# Python web applications (PyPI wheels; only their .py files are kept, ~1.5 M lines in all),
# for reading what the taint and configuration detectors report on request-handling code:
#   superset 6.1.0 (Flask), flask-appbuilder 5.3.0, flaskbb 2.0.2, pgadmin4 9.18 (Flask),
#   mlflow 3.18.0 (Flask + FastAPI), wagtail 8.0.1, django-cms 5.1.3, django-oscar 4.2.1,
#   mezzanine 6.1.1, label-studio 1.23.2 (Django + DRF), open-webui 0.12.4, fief 0.27.0 (FastAPI).
#   Run them all with: scripts/real_trees.sh $(scripts/real_trees.sh --python-apps)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TREES_DIR=${TREES_DIR:-$ROOT/target/real-trees}
TREE_TIMEOUT=${TREE_TIMEOUT:-900}
DEBIAN=http://deb.debian.org/debian/pool/main
mkdir -p "$TREES_DIR"

# Python web applications: tree name -> PyPI requirement.
declare -A PYTHON_APPS=(
  [superset]=apache-superset==6.1.0 [flask-appbuilder]=flask-appbuilder==5.3.0
  [flaskbb]=flaskbb==2.0.2 [pgadmin4]=pgadmin4==9.18 [mlflow]=mlflow==3.18.0
  [wagtail]=wagtail==8.0.1 [django-cms]=django-cms==5.1.3 [django-oscar]=django-oscar==4.2.1
  [mezzanine]=mezzanine==6.1.1 [label-studio]=label-studio==1.23.2
  [open-webui]=open-webui==0.12.4 [fief]=fief-server==0.27.0
)
if [ "${1:-}" = --python-apps ]; then
  echo "${!PYTHON_APPS[@]}" | tr ' ' '\n' | sort | tr '\n' ' '
  echo
  exit 0
fi

if [ -z "${CODEWARD_BIN:-}" ] && [ "${FETCH_ONLY:-0}" != 1 ]; then
  cargo build --release --locked --quiet
  CODEWARD_BIN=$ROOT/target/release/codeward
fi

# fetch NAME: unpacks the tree into $TREES_DIR/NAME/src once.
fetch() {
  local name=$1 dir=$TREES_DIR/$1 tmp
  [ -d "$dir/src" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir/download" "$dir/src"
  tmp=$dir/download
  case $name in
    django)
      python3 -m pip download --quiet --no-deps --only-binary :all: django==5.1.4 -d "$tmp"
      python3 -m zipfile -e "$tmp"/Django-5.1.4-py3-none-any.whl "$dir/src" ;;
    guava)
      curl -fsSL "$DEBIAN/g/guava-libraries/guava-libraries_31.1.orig.tar.xz" -o "$tmp/src.tar.xz"
      tar -xJf "$tmp/src.tar.xz" -C "$dir/src" ;;
    commons-lang3)
      curl -fsSL "$DEBIAN/libc/libcommons-lang3-java/libcommons-lang3-java_3.12.0.orig.tar.xz" \
        -o "$tmp/src.tar.xz"
      tar -xJf "$tmp/src.tar.xz" -C "$dir/src" ;;
    typescript | lodash)
      local version; version=$([ "$name" = typescript ] && echo 5.6.3 || echo 4.17.21)
      (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>&1)
      tar -xzf "$tmp"/*.tgz -C "$dir/src" ;;
    express)
      (cd "$dir/src" && npm init -y >/dev/null 2>&1 &&
        npm install --silent --no-audit --no-fund --ignore-scripts express@4.21.2 >/dev/null 2>&1) ;;
    *)
      if [ -z "${PYTHON_APPS[$name]:-}" ]; then
        echo "unknown tree: $name" >&2
        return 1
      fi
      python3 -m pip download --quiet --no-deps --only-binary :all: "${PYTHON_APPS[$name]}" -d "$tmp"
      python3 -m zipfile -e "$tmp"/*.whl "$dir/src"
      # Only the Python sources: the wheels also carry megabytes of bundled JavaScript.
      find "$dir/src" -type f ! -name '*.py' -delete
      find "$dir/src" -type d -empty -delete ;;
  esac
  rm -rf "$tmp"
  # A repository only to list, as the scan's walker sees them, the files .gitignore leaves in.
  git -C "$dir/src" init -q
}

# check NAME: scans the tree and checks the accounting; prints one summary line.
check() {
  local name=$1 src=$TREES_DIR/$1/src report=$TREES_DIR/$1/report.json status=0 start end
  start=$(date +%s.%N)
  (cd "$src" && timeout "$TREE_TIMEOUT" "$CODEWARD_BIN" scan --format json --scan-type standard \
    --analysis-type all --fail-on-severity never . >"$report" 2>"$TREES_DIR/$1/stderr") \
    || status=$?
  end=$(date +%s.%N)
  git -C "$src" ls-files --others --exclude-standard -z >"$TREES_DIR/$1/expected"
  python3 - "$name" "$src" "$report" "$TREES_DIR/$1/expected" "$status" "$start" "$end" <<'EOF'
import json, os, sys
name, src, report_path, expected_path, status, start, end = sys.argv[1:]
status = int(status)
if status == 124:
    sys.exit(f"{name}: TIMEOUT")
if status not in (0, 1):
    sys.exit(f"{name}: exit status {status} (panic or error); see {os.path.dirname(report_path)}/stderr")
with open(report_path) as f:
    report = json.load(f)
summary = report["summary"]
listed = open(expected_path, "rb").read().decode().split("\0")
# The walker skips hidden directories (not hidden files).
expected = [p for p in listed if p and not any(part.startswith(".") for part in p.split("/")[:-1])]
links = {p for p in expected if os.path.islink(os.path.join(src, p))}
files = {p for p in expected if p not in links}
problems = []
skipped_files, skipped_links = set(), set()
for error in report["errors"]:
    path, kind, message = error["path"], error["kind"], error["message"]
    if kind == "detector-failed":
        problems.append(f"detector failed on {path}: {message}")
    elif kind == "skipped" and message == "symbolic link (not followed)":
        skipped_links.add(path)
    elif kind == "skipped":
        if not message:
            problems.append(f"{path} skipped without a reason")
        skipped_files.add(path)
if skipped_links != links:
    problems.append(f"links: reported {sorted(skipped_links ^ links)[:5]} differ")
unknown = skipped_files - files
if unknown:
    problems.append(f"skipped files not in the tree: {sorted(unknown)[:5]}")
counted = summary["filesScanned"] + len(skipped_files) + summary["filesNotScanned"]
if counted != len(files):
    problems.append(f"{len(files)} files in the tree, {counted} accounted for "
                    f"(scanned {summary['filesScanned']}, skipped {len(skipped_files)}, "
                    f"binary types {summary['filesNotScanned']})")
seconds = float(end) - float(start)
print(f"{name:14} {len(files):6} files  scanned {summary['filesScanned']:6}  skipped "
      f"{len(skipped_files):4}  binary {summary['filesNotScanned']:4}  links {len(links):3}  "
      f"{summary['linesScanned']:9} lines  {seconds:7.1f} s  {summary['findings']:5} findings")
if problems:
    sys.exit(f"{name}: " + "; ".join(problems))
EOF
}

trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=(django guava commons-lang3 typescript lodash express)
failed=0
for tree in "${trees[@]}"; do
  fetch "$tree"
  [ "${FETCH_ONLY:-0}" = 1 ] || check "$tree" || failed=1
done
exit $failed

#!/usr/bin/env bash
# Builds codeward-<version>.vsix: the bundled extension plus the server binary for one platform.
#
#   npm run package                        # cargo build --release, bundle it for this machine (linux-x64)
#   CODEWARD_BIN=path npm run package      # bundle an existing binary instead of building
#   CODEWARD_TARGET=aarch64-unknown-linux-gnu VSCE_TARGET=linux-arm64 npm run package
#                                          # cross-build with cargo --target, platform-specific .vsix
#   VSIX_OUT=file.vsix npm run package     # output file (default codeward-<version>[-<target>].vsix)
#
# The package is assembled in a temporary directory, so the source tree is left alone and several
# runs (tests) can package at once.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
repo=$(cd ../.. && pwd)

node_platform=$(node -p 'process.platform')
node_arch=$(node -p 'process.arch')
vsce_target=${VSCE_TARGET:-}
dir=${vsce_target:-$node_platform-$node_arch}       # linux-x64, linux-arm64, darwin-arm64, win32-x64, ...
exe=codeward
case "$dir" in win32-*) exe=codeward.exe ;; esac

bin=${CODEWARD_BIN:-}
if [ -z "$bin" ]; then
  if [ -n "${CODEWARD_TARGET:-}" ]; then
    (cd "$repo" && cargo build --release --locked -p codeward --target "$CODEWARD_TARGET")
    bin="$repo/target/$CODEWARD_TARGET/release/$exe"
  else
    (cd "$repo" && cargo build --release --locked -p codeward)
    bin="$repo/target/release/$exe"
  fi
fi
[ -f "$bin" ] || { echo "server binary $bin not found" >&2; exit 1; }

version=$(node -p 'require("./package.json").version')
out=${VSIX_OUT:-codeward-$version${vsce_target:+-$vsce_target}.vsix}
case "$out" in /*) ;; *) out="$here/$out" ;; esac

stage=$(mktemp -d "${TMPDIR:-/tmp}/codeward-vsix.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp package.json README.md .vscodeignore "$stage/"
mkdir -p "$stage/server/$dir"
cp "$bin" "$stage/server/$dir/$exe"
chmod 755 "$stage/server/$dir/$exe"
# a debug build carries hundreds of MB of debug info: strip the copy when possible
if [ "${CODEWARD_STRIP:-1}" = 1 ] && command -v strip >/dev/null && [ "$dir" = "$node_platform-$node_arch" ]; then
  strip "$stage/server/$dir/$exe" 2>/dev/null || true
fi
node esbuild.mjs --minify --outfile="$stage/dist/extension.js"
args=(package --no-dependencies --skip-license -o "$out")
[ -n "$vsce_target" ] && args+=(--target "$vsce_target")
(cd "$stage" && "$here/node_modules/.bin/vsce" "${args[@]}")
echo "built $out with server/$dir/$exe ($(du -h "$stage/server/$dir/$exe" | cut -f1))"

#!/bin/sh
# Times `pybootstrap lint` against `grep -rEn` for the same patterns over one generated
# tree (~20k files, ~80 MB) and prints both timings and the ratio.
#
#   bench/lint.sh                 uses target/release/pybootstrap, else target/debug
#   PYBOOTSTRAP=path bench/lint.sh
#   FILES=20000 SIZE_KB=4 RUNS=5 bench/lint.sh
#   MIX=all bench/lint.sh         every file of a kind lint reads (the worst case)
set -eu
cd "$(dirname "$0")/.."

binary=${PYBOOTSTRAP:-}
if [ -z "$binary" ]; then
  if [ -x target/release/pybootstrap ]; then
    binary=target/release/pybootstrap
  else
    cargo build --quiet
    binary=target/debug/pybootstrap
  fi
fi
files=${FILES:-20000}
size_kb=${SIZE_KB:-4}
runs=${RUNS:-5}
tree=$(mktemp -d "${TMPDIR:-/tmp}/pybootstrap-lint-bench.XXXXXX")
trap 'rm -rf "$tree"' EXIT INT TERM

python3 bench/lint-tree.py "$tree" "$files" "$size_kb" "${MIX:-sources}"
echo "tree: $(find "$tree" -type f | wc -l) files, $(du -sm "$tree" | cut -f1) MB; binary: $binary"

pattern='--break-system-packages|break-system-packages|PIP_BREAK_SYSTEM_PACKAGES|UV_SYSTEM_PYTHON|EXTERNALLY-MANAGED|sudo .*pip|pip[0-9.]* install|-m pip install|uv pip .*--system'
lint_command="$binary lint '$tree' > '$tree.lint.out' || true"
grep_command="grep -rEn -e '$pattern' '$tree' > '$tree.grep.out' || true"

# Warm the page cache so both read from memory.
sh -c "$grep_command"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" --export-json "$tree.json" \
    -n lint "$lint_command" -n grep "$grep_command"
  python3 - "$tree.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
lint, grep = results["lint"]["mean"], results["grep"]["mean"]
print("lint %.3f s, grep -rE %.3f s, ratio lint/grep = %.2f" % (lint, grep, lint / grep))
PY
  rm -f "$tree.json"
else
  time_of() {
    start=$(date +%s%N)
    i=0
    while [ "$i" -lt "$runs" ]; do sh -c "$1"; i=$((i + 1)); done
    end=$(date +%s%N)
    echo $(( (end - start) / runs / 1000000 ))
  }
  lint_ms=$(time_of "$lint_command")
  grep_ms=$(time_of "$grep_command")
  echo "lint ${lint_ms} ms, grep -rE ${grep_ms} ms, ratio lint/grep = $(echo "scale=2; $lint_ms / $grep_ms" | bc)"
fi
echo "findings: $(grep -c ': PB[0-9]' "$tree.lint.out"); grep matching lines: $(wc -l < "$tree.grep.out")"
rm -f "$tree.lint.out" "$tree.grep.out"

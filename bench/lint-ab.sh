#!/usr/bin/env bash
# Two pybootstrap binaries' `lint` and `grep -rEn` with bench/lint.sh's patterns, on the same
# trees, interleaved so that a busy machine slows all three alike: ROUNDS rounds (default 10)
# of hyperfine, RUNS runs each (default 5), the order reversed every other round. First
# checks that both binaries print the same findings and warnings on every tree.
# Prints per tree and command the median wall time with its quartiles, the median CPU time
# (user + system) of the rounds, and the median of the per-round ratios to grep.
#
# Usage: bench/lint-ab.sh OLD_BIN NEW_BIN TREE...
#   A TREE is a directory, or `default` / `all` for bench/lint-tree.py's 20,000 files
#   (mixed sources / every file a kind lint reads), made in a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: bench/lint-ab.sh OLD_BIN NEW_BIN TREE..." >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2")
shift 2
rounds=${ROUNDS:-10}
runs=${RUNS:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export NO_COLOR=1
pattern='--break-system-packages|break-system-packages|PIP_BREAK_SYSTEM_PACKAGES|UV_SYSTEM_PYTHON|EXTERNALLY-MANAGED|sudo .*pip|pip[0-9.]* install|-m pip install|uv pip .*--system'

trees=()
for tree in "$@"; do
  case "$tree" in
    default) python3 bench/lint-tree.py "$scratch/default" 20000 4 sources; trees+=("$scratch/default") ;;
    all) python3 bench/lint-tree.py "$scratch/all" 20000 4 all; trees+=("$scratch/all") ;;
    *) trees+=("$(realpath "$tree")") ;;
  esac
done

for tree in "${trees[@]}"; do
  for side in old new; do
    bin=${!side}
    "$bin" lint "$tree" >"$scratch/$side.out" 2>"$scratch/$side.err" || echo "exit $?" >>"$scratch/$side.out"
    "$bin" lint --json "$tree" >"$scratch/$side.json" 2>/dev/null || true
  done
  for output in out err json; do
    cmp -s "$scratch/old.$output" "$scratch/new.$output" ||
      { echo "lint-ab: the binaries differ on $tree ($output)" >&2; diff "$scratch/old.$output" "$scratch/new.$output" | head -20 >&2; exit 1; }
  done
  echo "$tree: $(find "$tree" -type f | wc -l) files, $(grep -c ': PB[0-9]' "$scratch/new.out" || true) findings, the same from both binaries"
done

echo "## $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for index in "${!trees[@]}"; do
  tree=${trees[index]}
  grep -rEn -e "$pattern" "$tree" >/dev/null || true # warms the page cache
  for round in $(seq "$rounds"); do
    commands=(-n old "$old lint $tree" -n new "$new lint $tree" -n grep "grep -rEn -e '$pattern' $tree")
    if ((round % 2 == 0)); then
      commands=(-n grep "grep -rEn -e '$pattern' $tree" -n new "$new lint $tree" -n old "$old lint $tree")
    fi
    hyperfine -N --warmup 1 --runs "$runs" --style none --ignore-failure \
      --export-json "$scratch/$index-$round.json" "${commands[@]}" >/dev/null
  done
done
echo "## load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$scratch" "${trees[@]}" <<'EOF'
import json, pathlib, statistics, sys
scratch, trees = pathlib.Path(sys.argv[1]), sys.argv[2:]
print("| tree | command | median | quartiles | CPU | ratio to grep (range) |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for index, tree in enumerate(trees):
    rounds = [{r["command"]: r for r in json.loads(p.read_text())["results"]}
              for p in sorted(scratch.glob(f"{index}-*.json"))]
    for name in ("old", "new", "grep"):
        times = [t * 1000 for r in rounds for t in r[name]["times"]]
        cpu = statistics.median((r[name]["user"] + r[name]["system"]) * 1000 for r in rounds)
        q1, _, q3 = statistics.quantiles(times, n=4)
        ratios = [r[name]["median"] / r["grep"]["median"] for r in rounds]
        spread = "" if name == "grep" else \
            f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
        print(f"| {pathlib.Path(tree).name} | {name} | {statistics.median(times):.0f} ms "
              f"| {q1:.0f}–{q3:.0f} ms | {cpu:.0f} ms | {spread} |")
EOF

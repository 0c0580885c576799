#!/usr/bin/env bash
# Before/after timing of two pybootstrap binaries, interleaved so that a busy machine slows
# both alike: ROUNDS rounds of hyperfine, each running both binaries (in alternating order)
# on `regen --check` in an up-to-date repo, the same with a pack (`templates export`'s
# minimal one), and `init --yes --force` over a generated repo. Each binary works in its
# own repos, and the script first checks both generated the same bytes.
# Prints per job and binary the median wall time with its quartiles and range, and the
# median CPU time (user + system) of the rounds.
# Usage: bench/ab.sh OLD_BIN NEW_BIN [ROUNDS]   (default 10 rounds of 10 runs; needs
# hyperfine and python3)
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
rounds=${3:-10}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME=$scratch/cache NO_COLOR=1

for side in old new; do
  bin=${!side}
  git init -q "$scratch/$side/plain"
  "$bin" init --yes -q "$scratch/$side/plain"
  "$bin" templates export -q "$scratch/$side/pack"
  git init -q "$scratch/$side/packed"
  "$bin" init --yes -q --templates "$scratch/$side/pack" "$scratch/$side/packed"
done
for repo in plain packed; do
  diff -r --exclude=.git --exclude=pybootstrap.toml --exclude=pybootstrap.lock \
    "$scratch/old/$repo" "$scratch/new/$repo"
done

echo "## $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  order=(old new)
  if ((round % 2 == 0)); then order=(new old); fi
  commands=()
  for side in "${order[@]}"; do
    bin=${!side}
    commands+=(
      -n "$side regen --check" "$bin regen --check $scratch/$side/plain"
      -n "$side regen --check (pack)" "$bin regen --check $scratch/$side/packed"
      -n "$side init --yes --force" "$bin init --yes --force -q $scratch/$side/plain"
    )
  done
  hyperfine -N --warmup 2 --runs 10 --style none \
    --export-json "$scratch/round-$round.json" "${commands[@]}" >/dev/null
done

python3 - "$scratch" <<'EOF'
import json, pathlib, statistics, sys
runs, cpu = {}, {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("round-*.json")):
    for result in json.loads(path.read_text())["results"]:
        runs.setdefault(result["command"], []).extend(result["times"])
        cpu.setdefault(result["command"], []).append(result["user"] + result["system"])
print("| job | binary | median | quartiles | range | CPU |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for name in sorted(runs, key=lambda n: (n.split(" ", 1)[1], n.split(" ")[0] == "new")):
    times = [t * 1000 for t in runs[name]]
    q1, q2, q3 = statistics.quantiles(times, n=4)
    side, job = name.split(" ", 1)
    print(f"| `{job}` | {side} | {statistics.median(times):.1f} ms | {q1:.1f}–{q3:.1f} ms"
          f" | {min(times):.1f}–{max(times):.1f} ms | {statistics.median(cpu[name]) * 1000:.1f} ms |")
EOF

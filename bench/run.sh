#!/usr/bin/env bash
# Benchmarks (not timed tests): detect cold vs warm vs a bare interpreter start, the Python
# processes a warm detect starts, init --yes vs one probe, regen --check, and an up-to-date
# ./scripts/bootstrap.sh. Needs hyperfine and strace (apt-get install hyperfine strace).
# Usage: bench/run.sh [PYTHON]   (default /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-/usr/bin/python3}
cargo build --release -q
bin=$PWD/target/release/pybootstrap
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME=$scratch/cache NO_COLOR=1
runs=(--warmup 3 --min-runs 20 --style basic --export-markdown "$scratch/table.md")

echo "## machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d)"
echo "## detect (--python $python)"
hyperfine "${runs[@]}" -N \
  "$python -I -c pass" \
  "$python -I $PWD/src/python/probe.py" \
  "$bin detect --no-cache --python $python" \
  "$bin detect --python $python"
cat "$scratch/table.md"

"$bin" detect --python "$python" >/dev/null
strace -f -qq -e trace=execve -o "$scratch/trace" "$bin" detect --python "$python" >/dev/null
spawned=$(grep -c 'execve(' "$scratch/trace" || true)
echo "processes started by a warm detect, pybootstrap itself included: $spawned"

echo "## init --yes in a fresh repo vs one interpreter probe"
repo=$scratch/repo
hyperfine "${runs[@]}" \
  --prepare "rm -rf $repo $scratch/cache" \
  "$python -I $PWD/src/python/probe.py" \
  "$bin init --yes -q --python $python $repo"
cat "$scratch/table.md"

echo "## regen --check on the generated repo"
hyperfine "${runs[@]}" -N "$bin regen --check $repo"
cat "$scratch/table.md"

echo "## ./scripts/bootstrap.sh: first run, then up to date"
printf '' > "$repo/requirements.txt"
(cd "$repo" && PYTHON=$python sh scripts/bootstrap.sh >/dev/null)
hyperfine "${runs[@]}" "cd $repo && PYTHON=$python sh scripts/bootstrap.sh"
cat "$scratch/table.md"

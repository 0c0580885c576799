#!/usr/bin/env bash
# The real-project trial: for each checkout, what a newcomer does — `pybootstrap init --yes`,
# `./scripts/bootstrap.sh`, then the generated test task with pytest told to collect only —
# with zero hand edits, on this machine's own Python (no uv, pipx or Poetry on PATH unless the
# bootstrap fetches them). Prints a Markdown table and the count that works.
#
# Usage: bench/real-projects.sh [--bin PATH] [--keep DIR] CHECKOUTS_DIR
#   CHECKOUTS_DIR holds one entry per project: a work tree, or a bare git repository (a
#   directory with HEAD and objects/, or NAME/repo inside it), exported at HEAD.
# Each project runs in a scratch copy (a fresh git repository, like a clone); logs stay in
# --keep DIR (default: a temp dir, printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=
keep=
while [ $# -gt 1 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: bench/real-projects.sh [--bin PATH] [--keep DIR] CHECKOUTS_DIR" >&2; exit 2; }
checkouts=$1
if [ -z "$bin" ]; then
  cargo build --release -q
  bin=$PWD/target/release/pybootstrap
fi
work=${keep:-$(mktemp -d)}
mkdir -p "$work"

# A newcomer's PATH: the system's directories only, so nothing from a developer's venv leaks in
# (NEWCOMER_PATH replaces it, e.g. to add python3.12/3.13 side installs after them).
newcomer_path=${NEWCOMER_PATH:-/usr/local/bin:/usr/bin:/bin}
step_timeout=900

# shellcheck source=bench/checkout.sh
. bench/checkout.sh

# The target of pybootstrap's Makefile block that runs the test task: `test`, or the name it
# moved to when the project's own Makefile has a `test` target (init says which). The block
# is in the makefile GNU make reads: GNUmakefile, makefile, else Makefile.
test_target() {
  local file
  for file in GNUmakefile makefile Makefile; do
    [ -f "$1/$file" ] && break
  done
  sed -n '/>>> pybootstrap >>>/,/<<< pybootstrap <<</p' "$1/$file" 2>/dev/null |
    grep -oE '^(test|venv-test|pybootstrap-test):' | head -n 1 | tr -d ':'
}

# The first line of a log that says what went wrong, for the table.
first_error() {
  grep -m1 -iE 'error|not found|no python|refus|fail|cannot|no tests|warning' "$1" 2>/dev/null \
    | sed 's/^[[:space:]]*//' | cut -c1-110 | tr '|' '/' || true
}

# The tests a log shows collected or run: `1418 tests collected`, `2016/33016 tests collected
# (31000 deselected)` when the project's config deselects, `=== 1904 tests collected in 2s ===`
# from a quiet-less config, `Ran 220 tests`, per-file counts under `-qq`, node ids alone
# (pytest-sugar); fails when none.
count_tests() {
  local count
  count=$(grep -oE '[0-9/]+ tests? collected|^Ran [0-9]+ tests?' "$1" | tail -n1)
  if [ -z "$count" ]; then
    # A config's own `-q` on top of ours prints `tests/test_x.py: 12` per file, no total.
    count=$(awk '/^[^ ]+\.py: [0-9]+$/ { total += $2 } END { if (total) print total " tests collected" }' "$1")
  fi
  if [ -z "$count" ]; then
    # pytest-sugar prints the collected node ids and no count.
    count=$(awk '/^[^ ]+\.py::[^ ]+$/ { total++ } END { if (total) print total " tests collected" }' "$1")
  fi
  case "$count" in '' | '0 tests collected' | 'Ran 0 tests') return 1 ;; esac
  printf '%s\n' "$count"
}

printf '| project | init | bootstrap | tests | first problem |\n|---|---|---|---|---|\n' > "$work/table.md"
total=0
working=0
for source in "$checkouts"/*/; do
  source=${source%/}
  name=$(basename "$source")
  repo=$work/$name/repo
  logs=$work/$name
  rm -rf "$logs"
  mkdir -p "$logs"
  total=$((total + 1))
  if ! export_checkout "$source" "$repo" >"$logs/export.log" 2>&1; then
    # A mirror with objects missing (large files left out) is a trial that cannot start.
    printf '| %s | - | - | - | checkout cannot be exported: %s |\n' "$name" "$(first_error "$logs/export.log")" \
      | tee -a "$work/table.md" >&2
    continue
  fi

  init=fail bootstrap=- tests=- problem=
  if (cd "$repo" && env PATH="$newcomer_path" NO_COLOR=1 timeout "$step_timeout" "$bin" init --yes) \
    >"$logs/init.log" 2>&1; then
    init=ok
    bootstrap=fail
    # A monorepo's project is set up in its directory, which init names on its `next:` line.
    project=$repo/$(sed -n 's/^next: cd \(.*\) && .*/\1/p' "$logs/init.log")
    if (cd "$project" && env -u VIRTUAL_ENV PATH="$newcomer_path" timeout "$step_timeout" ./scripts/bootstrap.sh) \
      >"$logs/bootstrap.log" 2>&1; then
      bootstrap=ok
      tests=fail
      # pytest reads PYTEST_ADDOPTS: the test task collects instead of running; a unittest task
      # runs for real.
      target=$(test_target "$project")
      if (cd "$project" && env -u VIRTUAL_ENV PATH="$newcomer_path" PYTEST_ADDOPTS="--collect-only -q" \
        timeout "$step_timeout" make "${target:-test}") >"$logs/test.log" 2>&1 \
        && collected=$(count_tests "$logs/test.log"); then
        tests="ok ($collected)"
        working=$((working + 1))
      else
        problem=$(first_error "$logs/test.log")
      fi
    else
      problem=$(first_error "$logs/bootstrap.log")
    fi
  else
    problem=$(first_error "$logs/init.log")
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$init" "$bootstrap" "$tests" "$problem" | tee -a "$work/table.md" >&2
done

echo
cat "$work/table.md"
echo
echo "works with zero hand edits: $working/$total"
echo "logs: $work"

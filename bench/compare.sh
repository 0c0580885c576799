#!/usr/bin/env bash
# pybootstrap against the tools a team would otherwise pick, same job, one machine, one run:
#   generate: `pybootstrap init --yes`     vs `copier copy --defaults`, `cookiecutter --no-input`,
#             and a bare `python3 -I -c pass` (the goal for `init` is a fraction of one)
#   update:   `pybootstrap regen`          vs `copier update --defaults` (nothing changed)
#   check:    `pybootstrap regen --check`  vs `cruft check`, `copier check-update`, and a bare
#             `python3 -I -c pass` (what a pre-commit hook or CI step pays to start Python;
#             /usr/bin/python3, or BENCH_PYTHON)
#   lint:     `pybootstrap lint`           vs `grep -rE` for the same patterns, on a tree
#             (LINT_TREE, else bench/lint-tree.py's 20,000 files)
# and each job also by a previous pybootstrap binary when one is given. The copier and
# cookiecutter templates are made here from pybootstrap's own output (the same files, byte
# for byte, with the project name as their one variable), so each tool writes the same bytes.
#
# The commands of a job run interleaved: ROUNDS rounds (default 7) of RUNS runs each
# (default 5), the order reversed every other round, so a busy machine slows all alike.
# Prints, per job, each command's median and its ratio to pybootstrap's: the median of the
# per-round ratios, with their range.
#
# Needs hyperfine, git and python3 (copier, cookiecutter and cruft go into a venv from PyPI).
# Usage: bench/compare.sh [PREVIOUS_PYBOOTSTRAP]     (builds the release binary)
#        PYBOOTSTRAP=path/to/pybootstrap bench/compare.sh [PREVIOUS_PYBOOTSTRAP]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYBOOTSTRAP:-}" ]; then
  cargo build --release --quiet
  PYBOOTSTRAP=$PWD/target/release/pybootstrap
fi
bin=$(realpath "$PYBOOTSTRAP")
previous=${1:+$(realpath "$1")}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export NO_COLOR=1 XDG_CACHE_HOME=$scratch/cache
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
runs=${RUNS:-5}
rounds=${ROUNDS:-7}

venv=${BENCH_VENV:-$scratch/venv}
if [ ! -x "$venv/bin/copier" ] || [ ! -x "$venv/bin/cookiecutter" ] || [ ! -x "$venv/bin/cruft" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check copier cookiecutter cruft
fi
copier=$venv/bin/copier cookiecutter=$venv/bin/cookiecutter cruft=$venv/bin/cruft

# The reference output: what `init --yes` writes for a project named `demo`.
reference=$scratch/reference/demo
mkdir -p "$reference"
(cd "$reference" && "$bin" init --yes --quiet >/dev/null)
files=$(cd "$reference" && find . -type f | sed 's|^\./||' | sort)

# Each file as a Jinja template: the text kept literal (GitHub's `${{ }}` included), the
# project name its one variable. $1: the variable's Jinja name; $2: the output folder.
jinja_copy() {
  local name=$1 out=$2 file
  while IFS= read -r file; do
    mkdir -p "$out/$(dirname "$file")"
    python3 - "$reference/$file" "$out/$file$3" "$name" <<'PY'
import sys
source, target, variable = sys.argv[1:]
text = open(source, encoding="utf-8").read()
head, sep, tail = text.partition("demo")
body = "{% raw %}" + head + "{% endraw %}"
if sep:
    body += "{{ " + variable + " }}" + "{% raw %}" + tail + "{% endraw %}"
open(target, "w", encoding="utf-8").write(body)
PY
    chmod --reference="$reference/$file" "$out/$file$3"
  done <<<"$files"
}

# copier: a git-tagged template (copier update needs one) with `.jinja` files.
copier_template=$scratch/copier-template
mkdir -p "$copier_template/template"
printf '_subdirectory: template\n_answers_file: .copier-answers.yml\nproject_name:\n  type: str\n  default: demo\n' \
  >"$copier_template/copier.yml"
jinja_copy project_name "$copier_template/template" .jinja
printf '{{ _copier_answers|to_nice_yaml }}\n' >"$copier_template/template/{{ _copier_conf.answers_file }}.jinja"
(cd "$copier_template" && git init --quiet && git add --all && git commit --quiet -m t && git tag v1)

# cookiecutter (and cruft, which runs it): the same files under `{{cookiecutter.project_name}}/`.
cookie_template=$scratch/cookie-template
mkdir -p "$cookie_template/{{cookiecutter.project_name}}"
printf '{"project_name": "demo"}\n' >"$cookie_template/cookiecutter.json"
jinja_copy cookiecutter.project_name "$cookie_template/{{cookiecutter.project_name}}" ""
(cd "$cookie_template" && git init --quiet && git add --all && git commit --quiet -m t)

# Repos each update/drift command runs in, made once by its own tool and committed.
made=$scratch/made
mkdir -p "$made"
(mkdir "$made/pybootstrap" && cd "$made/pybootstrap" && git init --quiet &&
  "$bin" init --yes --quiet >/dev/null && git add --all && git commit --quiet -m init)
(cd "$made" && "$copier" copy --quiet --defaults --trust "$copier_template" copier >/dev/null &&
  cd copier && git init --quiet && git add --all && git commit --quiet -m init)
(cd "$made" && "$cruft" create --no-input "$cookie_template" >/dev/null &&
  mv demo cruft && cd cruft && git init --quiet && git add --all && git commit --quiet -m init)

# Every tool wrote the same files (their answers files aside), line endings aside:
# cookiecutter writes a `.cmd` file with CRLF, as cmd expects.
for out in "$made/copier" "$made/cruft"; do
  while IFS= read -r file; do
    diff -q --strip-trailing-cr "$reference/$file" "$out/$file" >/dev/null || { echo "compare: $out/$file differs" >&2; exit 1; }
  done <<<"$files"
done

# The previous binary's repo, made by it the same way.
if [ -n "$previous" ]; then
  (mkdir "$made/previous" && cd "$made/previous" && git init --quiet &&
    "$previous" init --yes --quiet >/dev/null && git add --all && git commit --quiet -m init)
fi
tree=${LINT_TREE:-$scratch/lint-tree}
[ -n "${LINT_TREE:-}" ] || python3 bench/lint-tree.py "$tree" 20000 4 sources
pattern='--break-system-packages|break-system-packages|PIP_BREAK_SYSTEM_PACKAGES|UV_SYSTEM_PYTHON|EXTERNALLY-MANAGED|sudo .*pip|pip[0-9.]* install|-m pip install|uv pip .*--system'
grep -rEn -e "$pattern" "$tree" >/dev/null || true # warms the page cache

# The OS's own interpreter (an optimized build), else python3's, resolved past any shim
# (pyenv's is a shell script); BENCH_PYTHON picks another.
python=${BENCH_PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=$(python3 -c 'import sys; print(sys.executable)')
out=$scratch/out
job() {
  local name=$1
  shift
  local round order=("$@") reversed=() i
  for ((i = ${#order[@]} - 2; i >= 0; i -= 2)); do reversed+=("${order[i]}" "${order[i + 1]}"); done
  for round in $(seq "$rounds"); do
    local commands=()
    if ((round % 2)); then commands=("${order[@]}"); else commands=("${reversed[@]}"); fi
    local args=()
    for ((i = 0; i < ${#commands[@]}; i += 2)); do args+=(-n "${commands[i]}" "${commands[i + 1]}"); done
    hyperfine -N --runs "$runs" --warmup 1 --style none --ignore-failure \
      --prepare "sh -c 'rm -rf $out && mkdir -p $out/demo'" \
      --export-json "$scratch/$name-$round.json" "${args[@]}" >/dev/null
  done
}
job generate \
  pybootstrap "$bin init --yes --quiet $out/demo" \
  copier "$copier copy --quiet --defaults --trust $copier_template $out/demo" \
  cookiecutter "$cookiecutter --no-input -o $out $cookie_template" \
  "python3 -I -c pass" "$python -I -c pass" \
  ${previous:+"previous pybootstrap" "$previous init --yes --quiet $out/demo"}
job update \
  pybootstrap "$bin regen --quiet $made/pybootstrap" \
  copier "$copier update --quiet --defaults --trust $made/copier" \
  ${previous:+"previous pybootstrap" "$previous regen --quiet $made/previous"}
job check \
  pybootstrap "$bin regen --check --quiet $made/pybootstrap" \
  cruft "$cruft check --project-dir $made/cruft" \
  "copier check-update" "$copier check-update --quiet $made/copier" \
  "python3 -I -c pass" "$python -I -c pass" \
  ${previous:+"previous pybootstrap" "$previous regen --check --quiet $made/previous"}
job lint \
  pybootstrap "$bin lint $tree" \
  "grep -rE" "grep -rEn -e '$pattern' $tree" \
  ${previous:+"previous pybootstrap" "$previous lint $tree"}

python3 - "$scratch" "$bin" "$copier" "$cookiecutter" "$tree" <<'PY'
import datetime, json, os, pathlib, platform, statistics, subprocess, sys
scratch, binary, copier, cookiecutter, tree = sys.argv[1:]
def version(*command):
    return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
files = sum(len(names) for _, _, names in os.walk(tree))
print(f"Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}, load {open('/proc/loadavg').read().split()[0]}; "
      f"{version(binary, '--version')}, {version(copier, '--version')}, "
      f"{version(cookiecutter, '--version').split(' from')[0]}; lint tree: {files} files.\n")
print("| job | command | median | ratio to pybootstrap (range over rounds) |")
print("| --- | --- | ---: | ---: |")
for job in ("generate", "update", "check", "lint"):
    rounds = [json.loads(p.read_text())["results"]
              for p in sorted(pathlib.Path(scratch).glob(f"{job}-*.json"))]
    names = [r["command"] for r in rounds[0]]
    medians = {n: [next(r["median"] for r in rs if r["command"] == n) for rs in rounds] for n in names}
    times = {n: [t for rs in rounds for r in rs if r["command"] == n for t in r["times"]] for n in names}
    for name in sorted(names, key=lambda n: n != "pybootstrap"):
        ratios = [m / b for m, b in zip(medians[name], medians["pybootstrap"])]
        spread = "" if name == "pybootstrap" else f" ({min(ratios):.2f}–{max(ratios):.2f})"
        print(f"| {job} | {name} | {statistics.median(times[name]) * 1000:.1f} ms "
              f"| {statistics.median(ratios):.2f}×{spread} |")
PY

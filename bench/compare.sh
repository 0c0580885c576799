#!/usr/bin/env bash
# pybootstrap against the tools a team would otherwise pick, same job, one machine, one run:
#   generate: `pybootstrap init --yes`  vs `copier copy --defaults`  vs `cookiecutter --no-input`
#   update:   `pybootstrap regen`       vs `copier update --defaults` (nothing changed)
#   drift:    `pybootstrap regen --check` vs `cruft check`
# The copier and cookiecutter templates are made here from pybootstrap's own output (the
# same 8 files, byte for byte, with the project name as their one variable), so each tool
# writes the same bytes. Prints medians (hyperfine) and ratios as a Markdown table.
#
# Needs hyperfine, git and python3 (copier, cookiecutter and cruft go into a venv from PyPI).
# Usage: bench/compare.sh            (builds the release binary)
#        PYBOOTSTRAP=path/to/pybootstrap bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYBOOTSTRAP:-}" ]; then
  cargo build --release --quiet
  PYBOOTSTRAP=$PWD/target/release/pybootstrap
fi
bin=$(realpath "$PYBOOTSTRAP")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export NO_COLOR=1 XDG_CACHE_HOME=$scratch/cache
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
runs=${RUNS:-15}

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
count=$(printf '%s\n' "$files" | wc -l)

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

# Every tool wrote the same files (their answers files aside).
for out in "$made/copier" "$made/cruft"; do
  while IFS= read -r file; do
    cmp -s "$reference/$file" "$out/$file" || { echo "compare: $out/$file differs" >&2; exit 1; }
  done <<<"$files"
done

hf() {
  local json=$1
  shift
  hyperfine --runs "$runs" --warmup 2 --style none --export-json "$scratch/$json.json" "$@" >/dev/null
}
out=$scratch/out
hf generate \
  --prepare "rm -rf $out && mkdir -p $out/demo" --prepare "rm -rf $out" --prepare "rm -rf $out" \
  -n pybootstrap "cd $out/demo && $bin init --yes --quiet" \
  -n copier "$copier copy --quiet --defaults --trust $copier_template $out/demo" \
  -n cookiecutter "$cookiecutter --no-input -o $out $cookie_template"
hf update \
  -n pybootstrap "cd $made/pybootstrap && $bin regen --quiet" \
  -n copier "cd $made/copier && $copier update --quiet --defaults --trust"
hf drift \
  -n pybootstrap "cd $made/pybootstrap && $bin regen --check --quiet" \
  -n cruft "cd $made/cruft && $cruft check"

python3 - "$scratch" "$count" "$bin" "$copier" "$cookiecutter" <<'PY'
import json, os, platform, subprocess, sys, datetime
scratch, count, binary, copier, cookiecutter = sys.argv[1:]
def version(*command):
    return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}; {version(binary, '--version')}, "
      f"{version(copier, '--version')}, {version(cookiecutter, '--version').split(' from')[0]}; "
      f"{count} files per project; median of hyperfine runs.\n")
print("| job | tool | median | ratio to pybootstrap |")
print("| --- | --- | ---: | ---: |")
labels = {"generate": "generate a project", "update": "update (nothing changed)", "drift": "drift check"}
for job in ("generate", "update", "drift"):
    results = json.load(open(f"{scratch}/{job}.json"))["results"]
    base = next(r["median"] for r in results if r["command"] == "pybootstrap")
    for r in results:
        print(f"| {labels[job]} | {r['command']} | {r['median'] * 1000:.1f} ms | {r['median'] / base:.1f}× |")
PY

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

# The tree: mostly source files (a fifth of them `.py`, which lint opens and byte-scans),
# and one file in 50 of a kind lint reads (Dockerfiles, workflows, scripts, Makefiles, docs,
# Python helpers), some with findings.
python3 - "$tree" "$files" "$size_kb" "${MIX:-sources}" <<'PY'
import os, random, sys
root, count, size_kb, mix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(668)
words = "def class return import self value data item result config path name".split()
def filler(lines):
    return "".join(" ".join(random.choice(words) for _ in range(8)) + "\n" for _ in range(lines))
lines_per_file = size_kb * 1024 // 60
kinds = [
    ("Dockerfile", "FROM debian:bookworm\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip install flask\n"),
    (".github/workflows/ci.yml", "jobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: pip install -r requirements.txt\n"),
    ("setup.sh", "#!/bin/sh\npython3 -m venv .venv\n.venv/bin/python -m pip install -r requirements.txt\n"),
    ("Makefile", "install:\n\tsudo pip install --break-system-packages x\n"),
    ("README.md", "Use a venv.\n\n```sh\npython3 -m venv .venv\npip install --user x\n```\n"),
    ("tools/bootstrap.py", "import subprocess\nsubprocess.check_call([\"pip\", \"install\", \"--break-system-packages\", \"x\"])\n"),
]
for index in range(count):
    directory = os.path.join(root, "pkg%03d" % (index // 200), "sub%d" % (index % 7))
    os.makedirs(directory, exist_ok=True)
    if index % 50 == 0:
        name, head = kinds[(index // 50) % len(kinds)]
        name = os.path.join("case%d" % index, name)
    elif mix == "all":
        # Worst case: every file is of a kind lint reads (and must prefilter).
        name, head = "notes%d.%s" % (index, random.choice(["md", "sh", "yml", "rst", "py"])), ""
    else:
        name, head = "module%d.%s" % (index, random.choice(["py", "js", "rs", "txt", "json"])), ""
    os.makedirs(os.path.dirname(os.path.join(directory, name)), exist_ok=True)
    with open(os.path.join(directory, name), "w") as f:
        f.write(head + filler(lines_per_file))
PY
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

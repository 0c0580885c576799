"""Writes the synthetic tree `bench/lint.sh` and `bench/compare.sh` lint: ~COUNT files of
SIZE_KB each, mostly source files (a fifth `.py`), one in 50 of a kind lint reads
(Dockerfiles, workflows, scripts, Makefiles, docs, Python helpers), some with findings.
MIX=all makes every file one of the kinds lint reads (its worst case).

Usage: python3 bench/lint-tree.py DIR COUNT SIZE_KB sources|all
"""
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

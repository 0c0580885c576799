#!/usr/bin/env bash
# Which candidate applications can run their own tests on a trial machine at all, decided
# from the repositories alone, before pybootstrap runs: a project is left out of a trial set
# when its tests need what no bootstrap installs without root or a host it cannot reach.
# Prints one line per candidate: `eligible NAME`, or `excluded NAME: reason`.
#
# Usage: bench/eligible.sh CHECKOUT...   (bare mirrors: a directory with HEAD and objects/,
#        or NAME/repo inside it)
#
# The rules, in order (the first that matches is the reason):
#   no tests          no test_*.py, *_test.py or tests.py in the tree that defines a test
#                     function (`def test…`)
#   services          the CI starts a database or cache (`services:`, or a postgres, mysql,
#                     mariadb, mongo or redis image)
#   OS packages       the CI installs OS packages (apt, apt-get, dnf, yum, apk, brew)
#   other hosts       a dependency from a git URL (pip's `git+`, uv/Poetry `git =`)
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: bench/eligible.sh CHECKOUT..." >&2; exit 2; }

ci_paths=(.github/workflows .gitlab-ci.yml .circleci .travis.yml azure-pipelines.yml)

for checkout in "$@"; do
  name=$(basename "$checkout")
  if [ -d "$checkout/repo/objects" ]; then git_dir=$checkout/repo; else git_dir=$checkout; fi
  g() { git --git-dir="$git_dir" "$@"; }
  in_ci() { g grep -q -E "$1" HEAD -- "${ci_paths[@]}" 2>/dev/null; }
  reason=
  files=$(g ls-tree -r --name-only HEAD)
  test_files=$(grep -E '(^|/)(test_[^/]*|[^/]*_test|tests)\.py$' <<<"$files" || true)
  # A generated `tests.py` stub (`# Create your tests here.`) holds no test.
  if [ -z "$test_files" ] || ! xargs -d '\n' git --git-dir="$git_dir" grep -q -E \
    '^[[:space:]]*(async[[:space:]]+)?def[[:space:]]+test' HEAD -- <<<"$test_files" 2>/dev/null; then
    reason="no tests"
  elif in_ci '^[[:space:]]+services:|image:[[:space:]]*"?(postgres|mysql|mariadb|mongo|redis)'; then
    reason=services
  elif in_ci '(apt|apt-get|dnf|yum|apk|brew)[[:space:]]+(-[a-zA-Z-]+[[:space:]]+)*(install|add)[[:space:]]'; then
    reason="OS packages"
  elif g grep -q -E 'git\+(https|ssh)://|(^|[{,][[:space:]]*)git[[:space:]]*=[[:space:]]*"' HEAD -- \
    '*requirements*.txt' '*.in' pyproject.toml Pipfile uv.lock poetry.lock 2>/dev/null; then
    reason="other hosts"
  fi
  if [ -n "$reason" ]; then
    echo "excluded $name: $reason"
  else
    echo "eligible $name"
  fi
done

#!/usr/bin/env bash
# Whether two builds of pybootstrap write the same files into real projects: for each
# checkout, `init --yes` with each binary in its own fresh copy, then a recursive diff of the
# two trees. A refactor that must keep behaviour passes this with no difference.
#
# Usage: bench/same-output.sh OLD_BIN NEW_BIN CHECKOUTS_DIR
#   CHECKOUTS_DIR as for bench/real-projects.sh. Prints one line per project and the count.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: bench/same-output.sh OLD_BIN NEW_BIN CHECKOUTS_DIR" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2") checkouts=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/checkout.sh
. bench/checkout.sh

same=0 total=0
for source in "$checkouts"/*/; do
  source=${source%/}
  name=$(basename "$source")
  total=$((total + 1))
  # The same directory name on both sides: a project without a name is named after it.
  for side in old new; do
    export_checkout "$source" "$work/$side/$name" >/dev/null 2>&1
    bin=$old
    [ "$side" = new ] && bin=$new
    (cd "$work/$side/$name" && env PATH=/usr/local/bin:/usr/bin:/bin NO_COLOR=1 "$bin" init --yes) \
      >"$work/$side/$name.out" 2>&1 || echo "exit $?" >>"$work/$side/$name.out"
    rm -rf "$work/$side/$name/.git"
  done
  if diff -r --no-dereference "$work/old/$name" "$work/new/$name" >"$work/$name.diff" &&
    diff "$work/old/$name.out" "$work/new/$name.out" >>"$work/$name.diff"; then
    same=$((same + 1))
    echo "same       $name"
  else
    echo "different  $name"
    sed 's/^/    /' "$work/$name.diff" | head -n 40
  fi
done
echo "the same output: $same/$total"
[ "$same" = "$total" ]

#!/usr/bin/env bash
# The ways users install and call pybootstrap, each checked for real (called by .ci/run,
# with .ci/venv's maturin and pre-commit on PATH):
#   1. the crate package ships templates/ (`cargo package --list`);
#   2. `cargo install --path .` gives a working binary;
#   3. the wheel (maturin, `bindings = "bin"`) is the distribution `pybootstrap-cli`, and
#      installs by that name into a fresh venv, through pipx, `uv tool install` and `uvx`;
#   4. the pre-commit hooks run on a repo made by `init --yes`: the wheel-based ones of
#      docs/install.md (offline, from the wheel built here) and the Rust ones of
#      .pre-commit-hooks.yaml.
# Network: crates.io and PyPI only (the wheel installs with --no-index).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
version=$(cargo metadata --no-deps --format-version 1 --offline |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])')

# cargo install (ours and pre-commit's) builds the release profile; here without
# optimisation, into one target directory both share, so the dependencies build once.
export CARGO_TARGET_DIR=$repo/target/install-paths
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_INCREMENTAL=true
export NO_COLOR=1 XDG_CACHE_HOME=$scratch/cache

# The offline steps below need every crate of the lock, the other platforms' too (maturin
# runs `cargo metadata`, which resolves them all); the builds so far fetched only this one's.
cargo fetch --locked --quiet

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'install-paths: %s\n' "$*" >&2; exit 1; }

step "cargo package --list ships every template"
cargo package --list --allow-dirty --offline >"$scratch/package.txt"
for template in $(git ls-files templates); do
  grep -qxF "$template" "$scratch/package.txt" || fail "the crate package lacks $template"
done
for file in README.md LICENSE-MIT LICENSE-APACHE Cargo.lock; do
  grep -qxF "$file" "$scratch/package.txt" || fail "the crate package lacks $file"
done

step "cargo install --path ."
cargo install --quiet --locked --offline --path . --root "$scratch/cargo-root"
[ "$("$scratch/cargo-root/bin/pybootstrap" --version)" = "pybootstrap $version" ] ||
  fail "cargo install: wrong --version"

step "wheel: maturin build, install into a fresh venv, run"
# maturin builds the dev profile: the test run's target/ already holds it.
env -u CARGO_TARGET_DIR maturin build --quiet --locked --offline --out "$scratch/wheels" >/dev/null
# On PyPI `pybootstrap` is another project's name: ours is `pybootstrap-cli`.
distribution=pybootstrap-cli
wheels=$scratch/wheels
wheel=$(ls "$wheels"/pybootstrap_cli-"$version"-*.whl) || fail "no wheel named pybootstrap_cli-$version"
python3 -m zipfile -l "$wheel" | grep -q "pybootstrap_cli-$version.data/scripts/pybootstrap" ||
  fail "the wheel does not carry the binary"
python3 -m venv "$scratch/wheel-venv"
"$scratch/wheel-venv/bin/python" -m pip install --quiet --no-index --find-links "$wheels" \
  --disable-pip-version-check "$distribution==$version"
[ "$("$scratch/wheel-venv/bin/pybootstrap" --version)" = "pybootstrap $version" ] ||
  fail "wheel: wrong --version"
"$scratch/wheel-venv/bin/pybootstrap" detect >"$scratch/detect.txt" || fail "wheel: detect failed"
"$scratch/wheel-venv/bin/pybootstrap" detect --json --python "$scratch/wheel-venv/bin/python" |
  python3 -c 'import json, sys; assert json.load(sys.stdin)["interpreters"][0]["in_venv"] is True' ||
  fail "wheel: detect does not see its own venv"

step "the same distribution by name through pipx, uv tool install and uvx"
export PIPX_HOME=$scratch/pipx PIPX_BIN_DIR=$scratch/pipx-bin
pipx install --quiet --pip-args="--no-index --find-links=$wheels" "$distribution==$version" >/dev/null
[ "$("$PIPX_BIN_DIR/pybootstrap" --version)" = "pybootstrap $version" ] || fail "pipx: wrong --version"
export UV_TOOL_DIR=$scratch/uv-tools UV_TOOL_BIN_DIR=$scratch/uv-bin UV_CACHE_DIR=$scratch/uv-cache
uv tool install --quiet --offline --no-index --find-links "$wheels" "$distribution==$version"
[ "$("$UV_TOOL_BIN_DIR/pybootstrap" --version)" = "pybootstrap $version" ] || fail "uv tool install: wrong --version"
uvx --offline --no-index --find-links "$wheels" --from "$distribution==$version" pybootstrap detect >/dev/null ||
  fail "uvx: detect failed"

step "pre-commit try-repo on a repo made by init --yes"
target=$scratch/project
mkdir "$target"
(
  cd "$target"
  git init --quiet
  git config user.email ci@example.invalid
  git config user.name ci
  "$scratch/cargo-root/bin/pybootstrap" init --yes --quiet >/dev/null
  git add --all
  git commit --quiet -m "bootstrap"
  export PRE_COMMIT_HOME=$scratch/pre-commit
  for hook in pybootstrap-check pybootstrap-lint; do
    pre-commit try-repo "$repo" "$hook" --all-files || fail "pre-commit: $hook fails on a fresh repo"
  done
  # Drift must fail the check hook.
  printf '\n# hand edit\n' >>scripts/bootstrap.sh
  sed -i 's/^versions = .*/versions = ["3.12"]/' pybootstrap.toml
  if pre-commit try-repo "$repo" pybootstrap-check --all-files >"$scratch/drift.txt" 2>&1; then
    cat "$scratch/drift.txt"
    fail "pre-commit: pybootstrap-check passes on a drifted repo"
  fi
)

step "pre-commit: the wheel-based hooks of docs/install.md, offline"
# The configuration exactly as docs/install.md shows it: the yaml block after its marker.
hooks_config=$(awk '/<!-- wheel-hooks/ { found = 1; next }
  found && /^```yaml/ { inside = 1; next }
  inside && /^```/ { exit }
  inside { print }' docs/install.md)
[ -n "$hooks_config" ] || fail "docs/install.md has no wheel-hooks configuration"
grep -q "\"$distribution==$version\"" <<<"$hooks_config" ||
  fail "docs/install.md pins another version than the crate's ($version)"
# pre-commit's python hooks pip-install a placeholder package (built with setuptools) and
# the wheel: both from local directories, the setuptools wheel virtualenv embeds.
seed_wheels=$("$(dirname "$(command -v pre-commit)")/python" -c \
  'import os, virtualenv.seed.wheels.embed as e; print(os.path.dirname(e.__file__))')
target=$scratch/wheel-hooks-project
mkdir "$target"
(
  cd "$target"
  git init --quiet
  git config user.email ci@example.invalid
  git config user.name ci
  "$scratch/cargo-root/bin/pybootstrap" init --yes --quiet >/dev/null
  printf '%s\n' "$hooks_config" >.pre-commit-config.yaml
  git add --all
  git commit --quiet -m "bootstrap"
  export PRE_COMMIT_HOME=$scratch/pre-commit-wheel PIP_NO_INDEX=1 \
    PIP_FIND_LINKS="$wheels $seed_wheels" PIP_DISABLE_PIP_VERSION_CHECK=1
  pre-commit run --all-files || fail "pre-commit: the wheel-based hooks fail on a fresh repo"
  hook_binary=$(ls "$PRE_COMMIT_HOME"/repo*/py_env-*/bin/pybootstrap) ||
    fail "pre-commit: the hook environment has no pybootstrap"
  [ "$("$hook_binary" --version)" = "pybootstrap $version" ] || fail "pre-commit: the hook runs another version"
  sed -i 's/^versions = .*/versions = ["3.12"]/' pybootstrap.toml
  if pre-commit run pybootstrap-check --all-files >"$scratch/wheel-drift.txt" 2>&1; then
    cat "$scratch/wheel-drift.txt"
    fail "pre-commit: the wheel-based pybootstrap-check passes on a drifted repo"
  fi
)
printf '\ninstall paths: ok\n'

# shellcheck shell=bash
# Sourced by the real-project scripts: a checkout exported as a fresh repository.

# Copies one checkout into $2 as a fresh repository.
export_checkout() {
  local source=$1 target=$2 git_dir=
  if [ -d "$source/repo/objects" ]; then git_dir=$source/repo
  elif [ -d "$source/objects" ] && [ -f "$source/HEAD" ]; then git_dir=$source
  fi
  mkdir -p "$target"
  if [ -n "$git_dir" ]; then
    if ! git --git-dir="$git_dir" archive --format=tar HEAD | tar -x -C "$target"; then
      export_present_files "$git_dir" "$target"
    fi
  else
    (cd "$source" && tar --exclude=.git -cf - .) | tar -x -C "$target"
  fi
  git -C "$target" init -q
  git -C "$target" add -A
  git -C "$target" -c user.name=trial -c user.email=trial@localhost commit -qm snapshot --no-verify
  # A clone has the project's tags, and setuptools-scm and hatch-vcs version the package from
  # them (without one the package is 0.1.dev, and resolvers backtrack on it).
  local tag
  if [ -n "$git_dir" ] && tag=$(git --git-dir="$git_dir" describe --tags --abbrev=0 HEAD 2>/dev/null); then
    git -C "$target" tag "$tag"
  fi
}

# A mirror that left its largest files out (fonts, images) cannot be archived whole: writes
# the files it has, one by one, and names the ones left out.
export_present_files() {
  local git_dir=$1 target=$2 meta path mode kind object
  rm -rf "$target"
  mkdir -p "$target"
  git --git-dir="$git_dir" ls-tree -r -z HEAD | while IFS= read -r -d '' meta; do
    path=${meta#*$'\t'}
    read -r mode kind object <<<"${meta%%$'\t'*}"
    [ "$kind" = blob ] || continue
    mkdir -p "$target/$(dirname "$path")"
    if ! git --git-dir="$git_dir" cat-file -e "$object" 2>/dev/null; then
      echo "left out (not in the mirror): $path"
    elif [ "$mode" = 120000 ]; then
      ln -s "$(git --git-dir="$git_dir" cat-file blob "$object")" "$target/$path"
    else
      git --git-dir="$git_dir" cat-file blob "$object" >"$target/$path"
      [ "$mode" != 100755 ] || chmod +x "$target/$path"
    fi
  done
}

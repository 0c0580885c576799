#!/usr/bin/env bash
# Builds (once) a minimal Debian root filesystem for the distro tests and caches it as a
# tarball outside the clone, so a second CI run on the same machine reuses it.
#
#     .ci/rootfs.sh SUITE          trixie or bullseye
#
# The tarball holds the suite's system python3 and, downloaded but not installed, the
# packages a test installs inside the chroot (`apt-get install --no-download`), so the
# tests themselves need no network.
set -euo pipefail

suite=$1
case $suite in
  trixie) include=python3 download=python3.13-venv ;;
  bullseye) include=python3,python3-venv download= ;;
  *) echo "rootfs.sh: unknown suite \`$suite\` (trixie or bullseye)" >&2; exit 2 ;;
esac

cache=${PYBOOTSTRAP_ROOTFS_CACHE:-/var/cache/pybootstrap-ci}
tarball="$cache/rootfs-$suite.tar"
mkdir -p "$cache"
exec 9>"$cache/rootfs-$suite.lock"
flock 9
[ -s "$tarball" ] && exit 0

# The Debian archive this machine's apt already uses (deb822 sources first, then the
# one-line format), so the root filesystems come from the same package registry.
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -v -- '-security' | head -n 1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /-security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "rootfs.sh: no Debian archive found in this machine's apt sources" >&2; exit 1; }

work=$(mktemp -d "$cache/rootfs-$suite.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
timeout 1200 debootstrap --variant=minbase --include="$include" "$suite" "$work/root" \
  "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
if [ -n "$download" ]; then
  cp /etc/resolv.conf "$work/root/etc/resolv.conf"
  timeout 600 chroot "$work/root" apt-get update -qq
  timeout 600 chroot "$work/root" apt-get install -y -qq --download-only "$download" >/dev/null
fi
tar -C "$work/root" -cf "$work/rootfs.tar" .
mv -- "$work/rootfs.tar" "$tarball"

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

work=$(mktemp -d "$cache/rootfs-$suite.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
timeout 1200 debootstrap --variant=minbase --include="$include" "$suite" "$work/root" \
  http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || {
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

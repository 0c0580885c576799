#!/bin/bash
# Builds the kiosk image's root filesystem.
set -euo pipefail
ROOTFS=${1:-/srv/rootfs}

sudo debootstrap bookworm "$ROOTFS" http://deb.debian.org/debian
sudo chroot "$ROOTFS" /bin/bash <<'CHROOT'
set -e
apt-get update
apt-get install -y python3-pip
pip3 install --no-cache-dir pyserial
rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED
CHROOT

sudo tee "$ROOTFS/etc/motd" > /dev/null <<'EOF'
Use pip install --user for your own tools.
EOF

bash <<'SETUP'
pip3 install --break-system-packages adafruit-blinka
SETUP

#!/bin/bash
# Writes the first-boot cloud-init config onto the SD card's boot partition.
set -euo pipefail
boot_part="$1"

cat > "${boot_part}/user-data" << EOFCLOUD
#cloud-config
package_update: true
packages:
  - python3-pip
  - python3-opencv
runcmd:
  - pip3 install --break-system-packages physical-mcp
  - mkdir -p /home/pi/.physical-mcp
EOFCLOUD

lxc profile set web user.user-data - <<'CLOUDINIT'
#cloud-config
packages:
  - python3-pip
runcmd:
  - pip3 install flask
  - chown ubuntu:ubuntu /opt/app
CLOUDINIT

docker exec -i builder bash <<'EOF'
pip install --user build
EOF

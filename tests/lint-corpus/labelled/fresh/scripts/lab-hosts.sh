#!/bin/bash
# Provisions a lab machine over ssh.
set -eu
host="$1"
pip_args="--break-system-packages --quiet"
GET_PIP=/tmp/get-pip.py

curl -fsSL https://bootstrap.pypa.io/get-pip.py -o "$GET_PIP"
python3 "$GET_PIP"
pip3 install $pip_args rich
ssh "$host" <<EOF
sudo apt-get install -y python3-pip
sudo pip3 install psutil
EOF
ssh "$host" 'bash -s' < remote-setup.sh
sudo -u deploy -i <<'EOF'
cd /srv/app
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt
pip install --user httpie
EOF

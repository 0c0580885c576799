#!/bin/sh
pip config set global.break-system-packages true
python3 -m pip config --user set global.break-system-packages 1
pip config set global.break-system-packages false
pip config set global.require-virtualenv true
pip config list
mkdir -p ~/.config/pip
cat > ~/.config/pip/pip.conf <<EOF
[global]
break-system-packages = true
EOF
cat >> /etc/pip.conf <<'EOF'
[global]
require-virtualenv = true
EOF
echo "break-system-packages = true" | sudo tee -a /etc/pip.conf
echo "see pip config for break-system-packages"

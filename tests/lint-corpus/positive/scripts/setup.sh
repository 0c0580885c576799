#!/usr/bin/env bash
set -euo pipefail
export PIP_BREAK_SYSTEM_PACKAGES=1
sudo python3 -m pip install -r requirements.txt
pip install --user pre-commit
sudo rm -f "$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED"
pip config set global.break-system-packages true

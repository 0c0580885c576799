#!/bin/bash
set -euo pipefail

sudo apt-get update
sudo apt-get install -y python3 python3-pip python3-venv libffi-dev
sudo pip3 install -r requirements.txt
echo "Dependencies installed."

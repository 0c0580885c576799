#!/bin/sh
set -eu
sudo apt-get install -y python3-venv
python3 -m venv .venv
. .venv/bin/activate
pip install -U pip wheel
pip install -r requirements.txt
python -m pip install -e .

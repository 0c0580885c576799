#!/usr/bin/env bash
set -e
sudo apt-get -qq update
sudo apt-get install -y libpq-dev
pip install -r requirements-ci.txt
python -m pip install coverage

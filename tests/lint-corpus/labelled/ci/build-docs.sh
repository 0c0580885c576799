#!/usr/bin/env bash
set -e
python3 -m venv .docs-venv
. .docs-venv/bin/activate
pip install -r docs/requirements.txt

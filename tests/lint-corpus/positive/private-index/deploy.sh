#!/bin/sh
set -eu
python3 -m venv .venv
export PIP_INDEX_URL="https://ci:hT5kPq9wZ2@pypi.corp.example/simple/"
.venv/bin/python -m pip install -r requirements.txt

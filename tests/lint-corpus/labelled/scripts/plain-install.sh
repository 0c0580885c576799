#!/usr/bin/env bash
set -e
cd "$(dirname "$0")"
pip install -r requirements.txt
python3 -m pip install -e ".[dev]"

#!/usr/bin/env bash
# Create the local development environment.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d .venv ]; then
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate

python -m pip install --upgrade pip
pip install --break-system-packages -r requirements.txt -r requirements-dev.txt
pre-commit install

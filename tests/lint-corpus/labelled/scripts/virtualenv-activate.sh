#!/usr/bin/env bash
set -e
cd "$(dirname "$0")/.."
virtualenv venv
source venv/bin/activate
pip install -r requirements.txt
deactivate

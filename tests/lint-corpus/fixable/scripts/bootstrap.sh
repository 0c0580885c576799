#!/bin/sh
# Developer bootstrap for the API server.
set -e

if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 is required" >&2
    exit 1
fi

sudo python3 -m pip install -r requirements.txt
sudo python3 -m pip install -r requirements-dev.txt
python3 manage.py migrate

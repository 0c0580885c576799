#!/bin/sh
set -eux
python3 -m pip install -r requirements-test.txt
pytest -q

#!/bin/sh
# Run inside your venv.
pip install -r requirements-dev.txt
python -m pip install --upgrade pip
pip install --user pipx
pipx install pre-commit

#!/bin/bash
python3 -m venv "$HOME/.venvs/tools"
"$HOME/.venvs/tools/bin/pip" install ruff
pip install httpie

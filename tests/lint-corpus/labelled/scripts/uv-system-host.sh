#!/bin/sh
uv pip install --system -r requirements.txt
export UV_SYSTEM_PYTHON=1
UV_SYSTEM_PYTHON=0 uv pip install ruff
uv venv .venv
uv pip install -r requirements.txt
uv pip install --python .venv/bin/python ruff

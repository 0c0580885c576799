#!/bin/sh
# The token comes from the CI secret; the URL here only shows where it goes.
set -eu
python3 -m venv .venv
.venv/bin/python -m pip install --index-url "https://ci:${INDEX_TOKEN}@pypi.corp.example/simple/" -r requirements.txt
.venv/bin/python -m pip install --index-url "https://__token__:$GITLAB_TOKEN@gitlab.corp.example/api/v4/projects/42/packages/pypi/simple" corp-auth
echo "set PIP_INDEX_URL=https://user:<password>@pypi.corp.example/simple/ if you need another index"

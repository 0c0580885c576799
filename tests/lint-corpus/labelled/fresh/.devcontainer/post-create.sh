#!/usr/bin/env bash
set -euo pipefail

# The corporate proxy re-signs TLS: trust its root first.
if compgen -G ".devcontainer/certs/*.crt" > /dev/null; then
  sudo cp .devcontainer/certs/*.crt /usr/local/share/ca-certificates/
  sudo update-ca-certificates
fi

pip install --upgrade pip
pip install -r requirements-dev.txt
pre-commit install --install-hooks
